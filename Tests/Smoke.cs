using Xunit;

namespace StaticGraph.Tests;

public class Smoke
{
    [Fact]
    public void Adds() => Assert.Equal(4, 2 + 2);
}
