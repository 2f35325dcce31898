using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using StaticGraph.Backend.Cpu;

namespace StaticGraph.Backend;

/// <summary>
/// Every backend this process can use, found by name: the CPU's, built in, and those that the assemblies beside the
/// program offer with <see cref="BackendProviderAttribute"/> (the CUDA backend's assembly does). Adding a backend is adding
/// its assembly; nothing that chooses one by name changes.
/// </summary>
public static class Backends
{
    /// <summary>The name that chooses the most preferred usable backend.</summary>
    public const string Auto = "auto";

    private static readonly Lazy<IReadOnlyList<IBackendProvider>> Found = new(Discover);

    /// <summary>Every provider, the CPU's first.</summary>
    public static IReadOnlyList<IBackendProvider> Providers => Found.Value;

    /// <summary>The names a backend can be chosen by: <c>auto</c> and each provider's.</summary>
    public static IReadOnlyList<string> Names => [Auto, .. Providers.Select(p => p.Name)];

    /// <summary>The most preferred usable backend with the default settings (CUDA when a GPU is usable, else the CPU).</summary>
    public static IBackend Default => Resolve(Auto);

    /// <summary>The provider named <paramref name="name"/>, or null.</summary>
    public static IBackendProvider? Find(string name) => Providers.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The backend named <paramref name="name"/> (or with <c>auto</c> the most preferred usable one) computing as
    /// <paramref name="settings"/> ask. With <c>auto</c>, each preferred backend passed over is explained in one line on
    /// <paramref name="notes"/>; a named backend that cannot run here, or cannot honour the settings, is an
    /// <see cref="ArgumentException"/> saying why.
    /// </summary>
    public static IBackend Resolve(string name, BackendSettings? settings = null, TextWriter? notes = null)
    {
        settings ??= BackendSettings.Default;
        if (!BackendSettings.Precisions.Contains(settings.Precision))
            throw new ArgumentException($"precision must be one of {string.Join(", ", BackendSettings.Precisions)}, got '{settings.Precision}'");
        if (name == Auto)
        {
            foreach (var p in Providers.OrderByDescending(p => p.Preference))
            {
                if (p.Unavailable() is { } why)
                {
                    if (p.Preference > 0) notes?.WriteLine($"device: not {p.Name} ({why})");
                    continue;
                }
                return p.Create(settings);
            }
            throw new InvalidOperationException("no backend can run here");
        }
        var provider = Find(name) ?? throw new ArgumentException($"unknown backend '{name}': choose one of {string.Join(", ", Names)}");
        if (provider.Unavailable() is { } missing) throw new ArgumentException($"the {name} backend cannot run here: {missing}");
        return provider.Create(settings);
    }

    private static List<IBackendProvider> Discover()
    {
        var providers = new List<IBackendProvider> { new CpuBackendProvider() };
        var types = new HashSet<Type>();
        foreach (var assembly in CandidateAssemblies())
            foreach (var attribute in assembly.GetCustomAttributes<BackendProviderAttribute>())
                if (types.Add(attribute.Provider) && Activator.CreateInstance(attribute.Provider) is IBackendProvider p && Find(providers, p.Name) is null)
                    providers.Add(p);
        return providers;
    }

    private static IBackendProvider? Find(List<IBackendProvider> providers, string name) => providers.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The assemblies already loaded, and those beside the program whose metadata names <see cref="BackendProviderAttribute"/>
    /// (read without loading them, so that looking costs little and loads nothing else).
    /// </summary>
    private static IEnumerable<Assembly> CandidateAssemblies()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).ToList();
        var names = new HashSet<string>(loaded.Select(a => a.GetName().Name ?? ""), StringComparer.OrdinalIgnoreCase);
        foreach (var a in loaded) yield return a;
        string[] files;
        try { files = Directory.GetFiles(AppContext.BaseDirectory, "*.dll"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (names.Contains(Path.GetFileNameWithoutExtension(file)) || !OffersBackend(file)) continue;
            Assembly? assembly = null;
            try { assembly = Assembly.LoadFrom(file); }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException) { }
            if (assembly is not null) yield return assembly;
        }
    }

    private static bool OffersBackend(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return false;
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) return false;
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var constructor = reader.GetCustomAttribute(handle).Constructor;
                var type = constructor.Kind switch
                {
                    HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)constructor).Parent,
                    HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
                    _ => default,
                };
                var name = type.Kind switch
                {
                    HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Name),
                    HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
                    _ => "",
                };
                if (name == nameof(BackendProviderAttribute)) return true;
            }
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException) { }
        return false;
    }
}
