namespace StaticGraph.Backend;

/// <summary>
/// Array overloads of <see cref="IExecutable"/>'s span methods. C# converts an array to a span implicitly; F# does
/// not infer that conversion for a generic method, so without these an F# caller would have to write
/// <c>ReadOnlySpan&lt;float32&gt;(images)</c> at every call. C# keeps choosing the span methods (instance methods win).
/// </summary>
public static class ExecutableArrays
{
    /// <summary>Copies <paramref name="values"/> into the input <paramref name="name"/> (see <see cref="IExecutable.SetInput{T}"/>).</summary>
    public static void SetInput<T>(this IExecutable executable, string name, T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(executable);
        executable.SetInput<T>(name, values.AsSpan());
    }

    /// <summary>Overwrites the variable <paramref name="name"/> with <paramref name="values"/> (see <see cref="IExecutable.WriteVariable{T}"/>).</summary>
    public static void WriteVariable<T>(this IExecutable executable, string name, T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(executable);
        executable.WriteVariable<T>(name, values.AsSpan());
    }
}
