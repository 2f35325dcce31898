using System.Globalization;
using System.Text;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Passes;
using StaticGraph.Random;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// Generates the one kernel of a fused elementwise group: each external input is read once per element (directly when it
/// has the group's shape, element 0 when it holds one value, through broadcast strides otherwise), every member is one
/// C expression on registers, and only the root is stored. Extents and strides are arguments, so a pattern that recurs
/// at other resolutions reuses the same kernel.
/// </summary>
public static class FusedElementwiseKernel
{
    private enum Access { Same, Scalar, Broadcast }

    /// <summary>Emits the group's launch.</summary>
    public static void Lower(LoweringContext ctx, FusedGroup group)
    {
        var (kernel, access) = Generate(group);
        var root = group.Root;
        var args = new List<KernelArg>();
        foreach (var input in group.ExternalInputs) args.Add(KernelArg.Pointer(ctx.AddressOf(input)));
        args.Add(KernelArg.Pointer(ctx.AddressOf(root)));
        args.Add(KernelArg.I64(root.Shape.ElementCount));
        if (access.Contains(Access.Broadcast))
        {
            args.Add(KernelArg.I32(root.Shape.Rank));
            args.Add(KernelArg.Dims(root.Shape.Select(d => (long)d).ToArray()));
            for (var j = 0; j < group.ExternalInputs.Count; j++)
                if (access[j] == Access.Broadcast) args.Add(KernelArg.Dims(BroadcastStrides(group.ExternalInputs[j].Shape, root.Shape)));
        }
        ctx.Launch(kernel, root.Shape.ElementCount, [.. args]);
    }

    /// <summary>The kernel of a group (also for compiling every kernel a program can generate).</summary>
    public static CudaKernelSource Source(FusedGroup group) => Generate(group).Kernel;

    /// <summary>
    /// Element strides of <paramref name="input"/> read at the coordinates of <paramref name="output"/> under NumPy
    /// broadcasting (dimensions aligned from the right; 0 where the input's extent is 1 or missing).
    /// </summary>
    public static long[] BroadcastStrides(Shape input, Shape output)
    {
        var strides = new long[output.Rank];
        var own = input.Strides();
        for (var k = 0; k < output.Rank; k++)
        {
            var ki = k - (output.Rank - input.Rank);
            strides[k] = ki < 0 || input[ki] == 1 ? 0 : own[ki];
        }
        return strides;
    }

    private static (CudaKernelSource Kernel, Access[] Access) Generate(FusedGroup group)
    {
        var root = group.Root;
        if (root.Shape.Rank > KernelTypes.MaxRank)
            throw new NotSupportedException($"{root} has rank {root.Shape.Rank}; fused kernels take at most {KernelTypes.MaxRank}");
        var access = group.ExternalInputs
            .Select(i => i.Shape == root.Shape ? Access.Same : i.Shape.ElementCount == 1 ? Access.Scalar : Access.Broadcast)
            .ToArray();
        var parameters = new List<KernelParameter>();
        for (var j = 0; j < access.Length; j++) parameters.Add(KernelTypes.Pointer(group.ExternalInputs[j].DType, $"in{j}"));
        parameters.Add(KernelTypes.Pointer(root.DType, "out", isConst: false));
        parameters.Add(KernelTypes.Count);
        var helpers = new List<KernelHelper>();
        var broadcast = access.Contains(Access.Broadcast);
        if (broadcast)
        {
            helpers.Add(KernelTypes.DimsHelper);
            parameters.Add(new KernelParameter("int", "rank"));
            parameters.Add(new KernelParameter("sg_dims", "shape"));
            for (var j = 0; j < access.Length; j++)
                if (access[j] == Access.Broadcast) parameters.Add(new KernelParameter("sg_dims", $"s{j}"));
        }

        var body = new StringBuilder();
        body.AppendLine("    " + KernelTypes.IndexLoop).AppendLine("    {");
        if (broadcast)
        {
            var offsets = Enumerable.Range(0, access.Length).Where(j => access[j] == Access.Broadcast).ToList();
            body.AppendLine($"        long long rest = i{string.Concat(offsets.Select(j => $", o{j} = 0"))};");
            body.AppendLine("        for (int k = rank - 1; k >= 0; --k)");
            body.AppendLine("        {");
            body.AppendLine("            const long long c = rest % shape.d[k];");
            body.AppendLine("            rest /= shape.d[k];");
            foreach (var j in offsets) body.AppendLine($"            o{j} += c * s{j}.d[k];");
            body.AppendLine("        }");
        }
        var names = new Dictionary<Node, string>();
        for (var j = 0; j < access.Length; j++)
        {
            var input = group.ExternalInputs[j];
            var index = access[j] switch { Access.Same => "i", Access.Scalar => "0", _ => $"o{j}" };
            names[input] = $"v{j}";
            body.AppendLine($"        const {KernelTypes.CType(input.DType)} v{j} = in{j}[{index}];");
        }
        for (var k = 0; k < group.Members.Count; k++)
        {
            var m = group.Members[k];
            var lowering = (IElementwiseLowering)CudaLoweringRegistry.Get(m);
            var expression = lowering.Expression(m, m.Inputs.Select(i => names[i]).ToList(), helpers);
            names[m] = $"t{k}";
            body.AppendLine($"        const {KernelTypes.CType(m.DType)} t{k} = {expression};");
        }
        body.AppendLine($"        out[i] = {names[root]};").AppendLine("    }");

        var signature = string.Join(", ", parameters) + "\n" + string.Concat(helpers.Select(h => h.Name + "\n")) + body;
        var ops = string.Join("_", group.Members.Select(m => Identifier(m.Op.Name)).Distinct().Take(4));
        var name = $"sg_ew_{ops}_{StableHash.Fnv1a(signature).ToString("x8", CultureInfo.InvariantCulture)}";
        return (CudaKernelSource.Create(name, parameters, body.ToString(), [.. helpers.DistinctBy(h => h.Name)]), access);
    }

    private static string Identifier(string s) => new([.. s.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_')]);
}
