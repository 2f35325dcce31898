namespace StaticGraph;

/// <summary>How stochastic and batch-dependent ops behave in a program.</summary>
public enum ProgramMode
{
    /// <summary>Training semantics: batch statistics, random regularizers active, state updates applied.</summary>
    Training,
    /// <summary>Inference semantics: running statistics, regularizers at their expectation.</summary>
    Inference,
}
