using System.Text;

namespace StaticGraph.Random;

/// <summary>A hash of names that is the same in every process and on every machine (unlike string.GetHashCode).</summary>
public static class StableHash
{
    /// <summary>32-bit FNV-1a of the UTF-8 bytes of <paramref name="s"/>.</summary>
    public static uint Fnv1a(string s)
    {
        var h = 2166136261u;
        foreach (var c in Encoding.UTF8.GetBytes(s))
        {
            h ^= c;
            h *= 16777619u;
        }
        return h;
    }
}
