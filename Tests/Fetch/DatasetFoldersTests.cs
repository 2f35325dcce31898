using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Fetch;

/// <summary>Where data sets are looked for: --data-dir, the per-user cache, Debian's folder, in that order.</summary>
public class DatasetFoldersTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void The_user_cache_follows_xdg_then_home_and_localappdata_on_windows()
    {
        Assert.Equal("/x/cache/staticgraph/datasets", DatasetFolders.UserCacheRootFrom(Env(("XDG_CACHE_HOME", "/x/cache"), ("HOME", "/home/u")), windows: false));
        Assert.Equal("/home/u/.cache/staticgraph/datasets", DatasetFolders.UserCacheRootFrom(Env(("HOME", "/home/u")), windows: false));
        // A relative XDG_CACHE_HOME is invalid by the XDG rule and ignored.
        Assert.Equal("/home/u/.cache/staticgraph/datasets", DatasetFolders.UserCacheRootFrom(Env(("XDG_CACHE_HOME", "cache"), ("HOME", "/home/u")), windows: false));
        Assert.Equal(Path.Combine("C:/Users/u/AppData/Local", "StaticGraph", "datasets"),
            DatasetFolders.UserCacheRootFrom(Env(("LOCALAPPDATA", "C:/Users/u/AppData/Local")), windows: true));
    }

    [Fact]
    public void The_search_order_is_data_dir_cache_system_without_repeats()
    {
        Assert.Equal(["/d", "/c/x", "/usr/share/datasets/x"], DatasetFolders.SearchOrder("/d", "/c/x", "/usr/share/datasets/x"));
        Assert.Equal(["/c/x", "/usr/share/datasets/x"], DatasetFolders.SearchOrder(null, "/c/x", "/usr/share/datasets/x"));
        Assert.Equal(["/usr/share/datasets/x/"], DatasetFolders.SearchOrder("/usr/share/datasets/x/", null, "/usr/share/datasets/x"));
    }

    [Fact]
    public void Every_fetchable_data_set_loads_from_its_fetch_folder()
    {
        Assert.Equal(["mnist", "kmnist", "fashion-mnist", "cifar10", "cifar100"], DatasetSources.All.Select(s => s.Name));
        Assert.Equal(DatasetFolders.UserCacheFor("fashion-mnist"), FashionMnist.Spec.CacheFolder);
        Assert.Equal(DatasetFolders.UserCacheFor("mnist"), Mnist.Spec.CacheFolder);
        Assert.Equal(DatasetFolders.UserCacheFor("kmnist"), KuzushijiMnist.Spec.CacheFolder);
        Assert.Equal(("cifar10", "cifar100"), (Cifar10.FetchName, Cifar100.FetchName));
    }
}
