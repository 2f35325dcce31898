using Xunit;

namespace StaticGraph.Tests.Core;

public class OpCatalogueTests
{
    [Fact]
    public void Every_op_class_is_listed_in_docs_ops_md()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "ops.md"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var catalogue = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "ops.md"));
        var ops = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name is "StaticGraph" or "StaticGraph.Regularizers")
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(Op).IsAssignableFrom(t) && t != typeof(Op));
        var missing = ops.Where(t => !catalogue.Contains($"`{t.Name}`")).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "docs/ops.md lacks: " + string.Join(", ", missing));
    }
}
