using System.Text;

namespace StaticGraph;

/// <summary>Prints programs as readable listings and as Graphviz DOT.</summary>
public static class GraphPrinter
{
    /// <summary>
    /// One line per node: <c>%12 = conv2d(%3, %4) stride=1 pad=1 : f32[128,16,28,28]</c>; a further output of a
    /// multi-output node is its own line, <c>%13 = output(%12) index=1 : f64[16]</c>.
    /// </summary>
    public static string Line(Node n)
    {
        var sb = new StringBuilder();
        sb.Append('%').Append(n.Id).Append(" = ").Append(n.Op.Name);
        if (n.Inputs.Count > 0) sb.Append('(').Append(string.Join(", ", n.Inputs)).Append(')');
        if (n.Name is not null) sb.Append(" '").Append(n.Name).Append('\'');
        if (n.Op.Attributes.Length > 0) sb.Append(' ').Append(n.Op.Attributes);
        return sb.Append(" : ").Append(n.Type).ToString();
    }

    /// <summary>The listing of a program, followed by its fetches and updates.</summary>
    public static string Listing(GraphProgram p)
    {
        var sb = new StringBuilder();
        sb.Append("program ").Append(p.Mode.ToString().ToLowerInvariant())
          .Append(" (").Append(p.Nodes.Count).Append(" nodes)\n");
        foreach (var n in p.Nodes) sb.Append("  ").Append(Line(n)).Append('\n');
        sb.Append("  fetch ").Append(string.Join(", ", p.Fetches)).Append('\n');
        foreach (var u in p.Updates) sb.Append("  ").Append(u.Variable.Name).Append(" <- ").Append(u.NewValue).Append('\n');
        return sb.ToString();
    }

    /// <summary>The program as a Graphviz DOT digraph.</summary>
    public static string ToDot(GraphProgram p)
    {
        var sb = new StringBuilder("digraph program {\n  node [shape=box, fontname=\"monospace\"];\n");
        foreach (var n in p.Nodes)
        {
            var what = n.Op is OutputOp o ? $"output {o.Index}" : n.Op.Name;
            var label = $"%{n.Id} {what}{(n.Name is null ? "" : " " + n.Name)}\\n{n.Type}";
            var style = n.Op is VariableOp ? ", style=filled, fillcolor=lightyellow" : n.Op is InputOp ? ", style=filled, fillcolor=lightblue"
                : n.Op is OutputOp ? ", style=dashed" : "";
            sb.Append($"  n{n.Id} [label=\"{label.Replace("\"", "\\\"")}\"{style}];\n");
            // A projection is written by its producer's kernel: drawn as a dotted edge, not a read.
            var edge = n.Op is OutputOp ? " [style=dotted]" : "";
            foreach (var i in n.Inputs) sb.Append($"  n{i.Id} -> n{n.Id}{edge};\n");
        }
        foreach (var u in p.Updates) sb.Append($"  n{u.NewValue.Id} -> n{u.Variable.Id} [style=dashed, label=\"update\"];\n");
        return sb.Append("}\n").ToString();
    }
}
