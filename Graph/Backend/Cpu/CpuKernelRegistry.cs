using System.Collections.Concurrent;
using System.Reflection;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Finds the CPU kernel of a node: a class marked <see cref="CpuKernelForAttribute"/> in the op's own assembly. Defining
/// an op and its kernel is all it takes; nothing central to edit. This is also the one place that maps a node's dtype to
/// a kernel's element type: a generic kernel <c>XKernel&lt;T&gt;</c> is instantiated, once per dtype, with
/// <see cref="ElementTypes.Of"/> of the node's dtype, and a dtype its constraints refuse is an error naming the node.
/// </summary>
public static class CpuKernelRegistry
{
    private static readonly ConcurrentDictionary<Type, Registration> Kernels = new();
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly Lock ScanLock = new();

    /// <summary>Creates the kernel of <paramref name="args"/>' node.</summary>
    public static CpuKernel Create(CpuKernelArgs args)
    {
        var node = args.Node;
        var opType = node.Op.GetType();
        Scan(opType.Assembly);
        Scan(typeof(CpuKernelRegistry).Assembly);
        if (!Kernels.TryGetValue(opType, out var registration))
            throw new NotSupportedException($"the CPU backend has no kernel for op '{node.Op.Name}' ({opType.FullName}) of {node}");
        if (!registration.Constructors.TryGetValue(node.DType, out var ctor))
            throw new NotSupportedException(
                $"{GraphPrinter.Line(node)}: the CPU kernel of {node.Op.Name} computes {DTypeSupport.Describe(registration.Constructors.Keys)}, not {node.DType.ShortName()}");
        // A kernel's own exception (a shape it cannot handle, say) surfaces as it was thrown, with its stack.
        return (CpuKernel)ctor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, [args], culture: null);
    }

    /// <summary>The dtypes the CPU kernel of <paramref name="opType"/> computes (empty when it has none).</summary>
    public static IReadOnlyCollection<DType> DTypesOf(Type opType)
    {
        Scan(opType.Assembly);
        Scan(typeof(CpuKernelRegistry).Assembly);
        return Kernels.TryGetValue(opType, out var r) ? r.Constructors.Keys.ToArray() : [];
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
                    Kernels[attr.OpType] = Register(type);
            }
            Scanned.Add(assembly);
        }
    }

    /// <summary>
    /// A plain kernel serves every dtype (it reads its element types itself: byte copies, casts, integer ops); a generic
    /// one serves each dtype of the backend whose .NET type satisfies its constraints.
    /// </summary>
    private static Registration Register(Type type)
    {
        if (!type.IsGenericTypeDefinition)
        {
            var ctor = ConstructorOf(type);
            return new Registration(CpuBackend.DTypes.ToDictionary(d => d, _ => ctor));
        }
        if (type.GetGenericArguments().Length != 1)
            throw new InvalidOperationException($"CPU kernel {type.FullName} must have one type parameter, the element type");
        var constructors = new Dictionary<DType, ConstructorInfo>();
        foreach (var dtype in CpuBackend.DTypes)
        {
            Type closed;
            try
            {
                closed = type.MakeGenericType(ElementTypes.Of(dtype)!);
            }
            catch (ArgumentException)
            {
                continue; // the element type violates the kernel's constraints: that dtype is not computed
            }
            constructors[dtype] = ConstructorOf(closed);
        }
        return new Registration(constructors);
    }

    private static ConstructorInfo ConstructorOf(Type type) =>
        type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(CpuKernelArgs)])
            ?? throw new InvalidOperationException($"CPU kernel {type.FullName} needs a constructor taking CpuKernelArgs");

    private sealed record Registration(IReadOnlyDictionary<DType, ConstructorInfo> Constructors);
}
