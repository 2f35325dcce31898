using System.Collections.Concurrent;
using System.Reflection;

namespace StaticGraph.Onnx.Export;

/// <summary>
/// Finds the ONNX form of an op type among the classes marked <see cref="OnnxExportForAttribute"/> in this
/// assembly. Found once per process; an op without one has no ONNX form, which the exporter reports by node.
/// </summary>
internal static class OpExportRegistry
{
    private static readonly Lazy<ConcurrentDictionary<Type, IOnnxOpExport>> Exports = new(Scan);

    /// <summary>The export of <paramref name="opType"/>, or null when it has no ONNX form.</summary>
    public static IOnnxOpExport? Find(Type opType) => Exports.Value.TryGetValue(opType, out var export) ? export : null;

    private static ConcurrentDictionary<Type, IOnnxOpExport> Scan()
    {
        var found = new ConcurrentDictionary<Type, IOnnxOpExport>();
        foreach (var type in typeof(OpExportRegistry).Assembly.GetTypes())
        {
            foreach (var attr in type.GetCustomAttributes<OnnxExportForAttribute>())
            {
                var instance = Activator.CreateInstance(type, nonPublic: true) as IOnnxOpExport
                    ?? throw new InvalidOperationException($"{type.FullName} is marked [OnnxExportFor] but does not implement IOnnxOpExport");
                found[attr.OpType] = instance;
            }
        }
        return found;
    }
}
