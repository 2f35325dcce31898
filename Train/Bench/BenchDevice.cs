using StaticGraph.Backend;

namespace StaticGraph.Train.Bench;

/// <summary>The name of the hardware a bench ran on, for its header line: figures mean little without it.</summary>
public static class BenchDevice
{
    /// <summary>What the backend named <paramref name="device"/> computes on: the CPU's model name, the GPU's name.</summary>
    public static string Name(string device) =>
        Backends.Find(device) is { } provider ? provider.DeviceName : $"no backend named '{device}'";
}
