using System.CommandLine;
using System.Runtime.InteropServices;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `device-check`: reports which NVIDIA libraries can be loaded. The CUDA backend itself is not
/// implemented yet, so this command says so rather than pretending to check a GPU.
/// </summary>
public static class DeviceCheckCommand
{
    private static readonly string[] Libraries = ["libcuda.so.1", "libcudnn.so.9", "libcublas.so.12", "libcublas.so.13", "libnvrtc.so.12", "libnvrtc.so.13", "libnvrtc.so.11.2"];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("device-check", "Report the CUDA libraries found (the CUDA backend is not implemented yet)");
        command.SetAction(_ =>
        {
            foreach (var name in Libraries)
            {
                var found = NativeLibrary.TryLoad(name, out var handle);
                if (found) NativeLibrary.Free(handle);
                Console.WriteLine($"{name,-20} {(found ? "loadable" : "not found on the loader path")}");
            }
            Console.WriteLine("cuda backend: not implemented yet; training runs on the CPU backend");
            return 0;
        });
        return command;
    }
}
