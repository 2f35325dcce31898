using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using StaticGraph.Backend;
using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx;

/// <summary>
/// Writes an inference program and the values of its variables as an ONNX model (opset 18, standard
/// operators only): one input, the image batch with a symbolic leading dimension, and one output, the
/// program's fetch. mode_select and stop_gradient resolve to their inference input, so regularizers export
/// as their inference values and random ops never appear. An op without an ONNX form fails with one line
/// naming the node, before anything is written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the model imports (18: ReduceMean's and ReduceMax's axes as an input).</summary>
    public const int OpsetVersion = 18;

    /// <summary>The IR version written: 8, the one opset 18 requires.</summary>
    public const int IrVersion = 8;

    /// <summary>The serialized model.</summary>
    /// <param name="program">An inference program with one image input and one fetch.</param>
    /// <param name="values">An executable holding the program's variables (its own or one sharing them).</param>
    /// <param name="options">Names and metadata; the defaults give <c>image</c> → <c>logits</c>.</param>
    /// <exception cref="OnnxExportException">The program cannot be written as ONNX; the message names the node.</exception>
    public static byte[] Export(GraphProgram program, IExecutable values, OnnxExportOptions? options = null) =>
        BuildModel(program, values, options ?? new OnnxExportOptions()).ToByteArray();

    /// <summary>
    /// Writes the model to <paramref name="path"/>: built in memory first (so a refusal writes nothing), then to
    /// a temporary file beside it, which is renamed over the target.
    /// </summary>
    public static void Save(string path, GraphProgram program, IExecutable values, OnnxExportOptions? options = null)
    {
        var bytes = Export(program, values, options);
        var temp = path + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static ModelProto BuildModel(GraphProgram program, IExecutable values, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(values);
        if (program.Mode != ProgramMode.Inference)
            throw new OnnxExportException("a training program cannot be exported; export GraphProgram.Inference(logits)");
        if (program.Fetches.Count != 1)
            throw new OnnxExportException($"the program has {program.Fetches.Count} fetches; an exported model has exactly one output");
        var image = SingleInput(program, options.InputName);
        var graph = new GraphProto { Name = options.GraphName };
        var cx = new ExportContext(graph, image.Shape[0]);
        foreach (var node in program.Nodes) ExportNode(cx, program, node, values, options);

        var fetch = program.Fetches[0];
        cx.Emit(fetch, "Identity", [cx.NameOf(fetch)], cx.Claim(options.OutputName));
        graph.Input.Add(ValueInfo(options.InputName, image, 1, options.BatchDimension));
        graph.Output.Add(ValueInfo(options.OutputName, fetch, cx.FactorOf(fetch), options.BatchDimension));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "StaticGraph",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in Metadata(options, image)) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private static Node SingleInput(GraphProgram program, string name)
    {
        foreach (var input in program.Inputs)
        {
            if (input.Name != name)
                throw new OnnxExportException($"input '{input.Name}' ({input.Type}) is not the image input '{name}'; an exported model takes the image only");
        }
        var image = program.Inputs.SingleOrDefault()
            ?? throw new OnnxExportException($"the program has no input '{name}'");
        if (!image.DType.IsFloat() || image.Shape.Rank < 1)
            throw new OnnxExportException($"input '{name}' is {image.Type}; expected a floating-point batch");
        return image;
    }

    private static void ExportNode(ExportContext cx, GraphProgram program, Node node, IExecutable values, OnnxExportOptions options)
    {
        switch (node.Op)
        {
            case InputOp:
                cx.Define(node, cx.Claim(options.InputName), 1);
                break;
            case VariableOp:
                var bytes = values.ReadVariableBytes(node.Name!);
                cx.Define(node, cx.Initializer(cx.Claim(node.Name!), OnnxTypes.ElementType(node.DType), node.Shape.ToArray(), bytes), null);
                break;
            case ConstantOp constant:
                if (node.DType is DType.F16 or DType.BF16)
                    throw OnnxExportException.For(node, $"constants of {node.DType.ShortName()} are not exported");
                var data = Enumerable.Range(0, (int)node.Shape.ElementCount).Select(i => constant.ValueAt(i)).ToArray();
                cx.Define(node, cx.Initializer(cx.ResultName(node), OnnxTypes.ElementType(node.DType), node.Shape.ToArray(), OnnxTypes.Encode(node.DType, data)), null);
                break;
            case OutputOp when !cx.IsDefined(node):
                // A further output of a multi-output node that its export does not give (batch norm's statistics, which in
                // an inference program are the running statistics): nothing of an exported model may read it.
                if (program.Fetches.Contains(node) || program.Nodes.Any(n => n.Inputs.Contains(node)))
                    throw OnnxExportException.For(node, $"output {((OutputOp)node.Op).Index} of {node.Producer.Op.Name} has no ONNX form");
                break;
            case var op when op.AliasOf(program.Mode) is { } k && op is not ReshapeOp:
                // mode_select and stop_gradient are the value of one input here: no node at all.
                cx.Define(node, cx.NameOf(node.Inputs[k]), cx.FactorOf(node.Inputs[k]));
                break;
            default:
                var export = OpExportRegistry.Find(node.Op.GetType())
                    ?? throw OnnxExportException.For(node, "no ONNX form for this op");
                export.Export(cx, node);
                if (!cx.IsDefined(node)) throw new InvalidOperationException($"the ONNX export of {node.Op.Name} did not define {node}");
                break;
        }
    }

    private static ValueInfoProto ValueInfo(string name, Node node, int? factor, string batchDimension)
    {
        var shape = new TensorShapeProto();
        for (var axis = 0; axis < node.Shape.Rank; axis++)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (axis == 0 && factor == 1) dim.DimParam = batchDimension;
            else if (axis > 0 || factor is null) dim.DimValue = node.Shape[axis];
            shape.Dim.Add(dim);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTypes.ElementType(node.DType), Shape = shape } },
        };
    }

    private static IEnumerable<(string Key, string Value)> Metadata(OnnxExportOptions options, Node image)
    {
        var channels = image.Shape.Rank > 1 ? image.Shape[1] : 1;
        foreach (var (key, list) in new[] { (OnnxExportOptions.NormalizeMeanKey, options.NormalizeMean), (OnnxExportOptions.NormalizeStdKey, options.NormalizeStd) })
        {
            if (list is null) continue;
            if (list.Count != channels)
                throw new OnnxExportException($"{key} has {list.Count} values but the image has {channels} channels");
            yield return (key, string.Join(",", list.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        foreach (var (key, value) in options.Metadata)
        {
            if (key is OnnxExportOptions.NormalizeMeanKey or OnnxExportOptions.NormalizeStdKey)
                throw new OnnxExportException($"metadata key '{key}' is written from NormalizeMean/NormalizeStd; set those instead");
            yield return (key, value);
        }
    }
}
