/// The F# face of the one gradient checker (StaticGraph.Conformance.GradientChecker): an op's autodiff gradients against
/// central differences in float64 on the CPU reference, with the kit's step size and tolerance. The FsCheck generators
/// stay here; the checking is the kit's.
module GradientCheck

open StaticGraph
open StaticGraph.Conformance
open Generators

/// The largest accepted error (the kit's, |g - fd| / max(1e-2, |g|, |fd|)).
let Tolerance = GradientChecker.Tolerance

/// The row-major multi-index of a flat element index.
let multiIndex (shape: int[]) (flat: int) =
    let index = Array.zeroCreate shape.Length
    let mutable rest = flat
    for axis in shape.Length - 1 .. -1 .. 0 do
        index[axis] <- rest % shape[axis]
        rest <- rest / shape[axis]
    index

/// What a check needs: the inputs, which of them are differentiated, how the op is built and the
/// mode its program runs in (batch norm's gradient is a training-mode one).
type Check =
    { Op: string
      Shapes: int[][]
      Values: float[][]
      Differentiate: bool[]
      Mode: ProgramMode
      Build: GraphBuilder -> Node[] -> Node }

/// A check of every input, in inference mode.
let check op (shapes: int[][]) (values: float[][]) build =
    { Op = op; Shapes = shapes; Values = values; Differentiate = Array.create shapes.Length true
      Mode = ProgramMode.Inference; Build = build }

/// Runs the kit's checker on a check; throws GradientMismatchException naming the op, the shapes, the element and both values.
let run (c: Check) =
    let shapes = c.Shapes |> Array.map showShape |> String.concat ", "
    let problem =
        GradientProblem(sprintf "%s on inputs %s" c.Op shapes, c.Shapes, c.Values, OutputsBuilder(fun b x -> [| c.Build b x |]),
                        Differentiate = c.Differentiate, Mode = c.Mode)
    GradientChecker.Check problem |> ignore
