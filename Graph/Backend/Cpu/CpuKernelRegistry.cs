using System.Collections.Concurrent;
using System.Reflection;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Finds the CPU kernel of an op type: a class marked <see cref="CpuKernelForAttribute"/> in the
/// op's own assembly. Defining an op and its kernel is all it takes; nothing central to edit.
/// </summary>
public static class CpuKernelRegistry
{
    private static readonly ConcurrentDictionary<Type, ConstructorInfo> Kernels = new();
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly Lock ScanLock = new();

    /// <summary>Creates the kernel of <paramref name="args"/>' node.</summary>
    public static CpuKernel Create(CpuKernelArgs args)
    {
        var opType = args.Node.Op.GetType();
        Scan(opType.Assembly);
        Scan(typeof(CpuKernelRegistry).Assembly);
        if (!Kernels.TryGetValue(opType, out var ctor))
            throw new NotSupportedException($"the CPU backend has no kernel for op '{args.Node.Op.Name}' ({opType.FullName}) of {args.Node}");
        // A kernel's own exception (a shape it cannot handle, say) surfaces as it was thrown, with its stack.
        return (CpuKernel)ctor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, [args], culture: null);
    }

    private static void Scan(Assembly assembly)
    {
        // Marked scanned only once every kernel is registered, under the lock, so that a
        // concurrent compile never sees a half-filled table.
        lock (ScanLock)
        {
            if (Scanned.Contains(assembly)) return;
            foreach (var type in assembly.GetTypes())
            {
                foreach (var attr in type.GetCustomAttributes<CpuKernelForAttribute>())
                {
                    var ctor = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(CpuKernelArgs)])
                        ?? throw new InvalidOperationException($"CPU kernel {type.FullName} needs a constructor taking CpuKernelArgs");
                    Kernels[attr.OpType] = ctor;
                }
            }
            Scanned.Add(assembly);
        }
    }
}
