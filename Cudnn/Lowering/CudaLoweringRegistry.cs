using System.Collections.Concurrent;
using System.Reflection;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// Finds the CUDA lowering of an op type: a class marked <see cref="CudaLoweringForAttribute"/> in this assembly or the op's
/// own. Defining an op and its lowering is all it takes; nothing central to edit.
/// </summary>
public static class CudaLoweringRegistry
{
    private static readonly ConcurrentDictionary<Type, object> Lowerings = new();
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly Lock ScanLock = new();

    /// <summary>The lowering of <paramref name="op"/>'s type (an <see cref="ICudaLowering"/>, an <see cref="IElementwiseLowering"/> or both), or null.</summary>
    public static object? Find(Op op)
    {
        Scan(typeof(CudaLoweringRegistry).Assembly);
        Scan(op.GetType().Assembly);
        return Lowerings.GetValueOrDefault(op.GetType());
    }

    /// <summary>The lowering of <paramref name="node"/>'s op, or an error naming the node and op.</summary>
    public static object Get(Node node) =>
        Find(node.Op) ?? throw new NotSupportedException(
            $"the CUDA backend has no lowering for op '{node.Op.Name}' ({node.Op.GetType().FullName}) of {node}");

    /// <summary>True when <paramref name="op"/> is lowered as an elementwise expression (and so can be fused).</summary>
    public static bool IsElementwise(Op op) => Find(op) is IElementwiseLowering;

    /// <summary>Every op type with a lowering (for catalogues and tests).</summary>
    public static IReadOnlyCollection<Type> LoweredOpTypes()
    {
        Scan(typeof(CudaLoweringRegistry).Assembly);
        return Lowerings.Keys.ToList();
    }

    private static void Scan(Assembly assembly)
    {
        lock (ScanLock)
        {
            if (Scanned.Contains(assembly)) return;
            foreach (var type in assembly.GetTypes())
            {
                foreach (var attr in type.GetCustomAttributes<CudaLoweringForAttribute>())
                {
                    if (!typeof(ICudaLowering).IsAssignableFrom(type) && !typeof(IElementwiseLowering).IsAssignableFrom(type))
                        throw new InvalidOperationException($"CUDA lowering {type.FullName} implements neither ICudaLowering nor IElementwiseLowering");
                    Lowerings[attr.OpType] = Activator.CreateInstance(type, nonPublic: true)
                        ?? throw new InvalidOperationException($"CUDA lowering {type.FullName} needs a parameterless constructor");
                }
            }
            Scanned.Add(assembly);
        }
    }
}
