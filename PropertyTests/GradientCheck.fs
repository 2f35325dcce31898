/// A reusable gradient checker: an op's autodiff gradients against central differences in float64
/// on the CPU backend, as the numerics contract (docs/architecture.md) asks.
module GradientCheck

open System
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open Generators

/// The central-difference step.
[<Literal>]
let Step = 1e-6

/// The largest accepted error |g - fd| / max(1, |g|, |fd|): relative for gradients larger than 1,
/// absolute below (a gradient that should be 0 has no relative error).
[<Literal>]
let Tolerance = 1e-6

/// The name input i is fed under.
let inputName i = sprintf "in%d" i

/// The fixed random weights r of loss = sum(f(inputs) * r): uniform in [-1, 1] (zero mean, so the
/// loss's partial sums, and with them the rounding noise of the central differences, stay small).
let weights (n: int64) =
    let random = Random(20240917)
    Array.init (int n) (fun _ -> 2.0 * random.NextDouble() - 1.0)

/// The row-major multi-index of a flat element index.
let multiIndex (shape: int[]) (flat: int) =
    let index = Array.zeroCreate shape.Length
    let mutable rest = flat
    for axis in shape.Length - 1 .. -1 .. 0 do
        index[axis] <- rest % shape[axis]
        rest <- rest / shape[axis]
    index

/// Raised when a gradient element disagrees with its central difference.
exception GradientMismatch of string
    with override e.Message = e.Data0

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

/// Builds loss = sum(f(inputs) * r) and the autodiff gradient of every differentiated input,
/// compiles ONE program fetching the loss and the gradients, and compares every gradient element
/// with (L(x+h) - L(x-h)) / 2h, re-running the same executable with perturbed inputs. A gradient
/// autodiff does not produce (a piecewise-constant op) counts as zero. Throws
/// <see cref="GradientMismatch"/> naming the op, the shapes, the element and both values.
let run (c: Check) =
    if c.Shapes.Length <> c.Values.Length || c.Shapes.Length <> c.Differentiate.Length then
        invalidArg "c" "one shape, one value array and one flag per input"
    let b = GraphBuilder(DType.F64)
    let inputs = c.Shapes |> Array.mapi (fun i s -> b.Input(inputName i, DType.F64, s))
    let y = c.Build b inputs
    let r = b.Constant(weights y.Shape.ElementCount, DType.F64, y.Shape.ToArray())
    let weighted = b.Mul(y, r)
    let loss = if y.Shape.Rank = 0 then weighted else b.SumAll weighted
    let wrt = [| for i in 0 .. inputs.Length - 1 do if c.Differentiate[i] then yield i |]
    let grads = Autodiff.Gradients(loss, wrt |> Array.map (fun i -> inputs[i]))
    let gradNode i =
        match grads.TryGetValue inputs[i] with
        | true, g -> Some g
        | _ -> None
    let fetched = wrt |> Array.choose gradNode
    let program = GraphProgram.Create(c.Mode, Array.append [| loss |] fetched, Array.empty<StateUpdate>, null, null)
    use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = 1UL, Threads = 2))
    let feed i (v: float[]) = exe.SetInput<float>(inputName i, ReadOnlySpan<float>(v))
    // The memory plan treats fed inputs as transient (their buffers are reused after their last
    // reader), so every input is fed again before every run.
    let feedAll (perturbed: int) (v: float[]) =
        c.Values |> Array.iteri (fun j values -> feed j (if j = perturbed then v else values))
    let lossAt (perturbed: int) (v: float[]) =
        feedAll perturbed v
        exe.Run()
        exe.Read<float>(loss)[0]
    feedAll -1 [||]
    exe.Run()
    let analytic =
        wrt |> Array.map (fun i ->
            match gradNode i with
            | Some g -> exe.Read<float>(g)
            | None -> Array.zeroCreate c.Values[i].Length)
    let describe () =
        let node = sprintf "%s%s" y.Op.Name (if y.Op.Attributes = "" then "" else " " + y.Op.Attributes)
        let shapes = c.Shapes |> Array.map showShape |> String.concat ", "
        sprintf "%s (node: %s) on inputs %s -> output %s" c.Op node shapes (showShape (y.Shape.ToArray()))
    for k in 0 .. wrt.Length - 1 do
        let i = wrt[k]
        let v = Array.copy c.Values[i]
        for e in 0 .. v.Length - 1 do
            let x0 = v[e]
            let up, down = x0 + Step, x0 - Step
            v[e] <- up
            let lossUp = lossAt i v
            v[e] <- down
            let lossDown = lossAt i v
            v[e] <- x0
            // The step actually taken, after rounding x0 +- h.
            let fd = (lossUp - lossDown) / (up - down)
            let g = analytic[k][e]
            let err = abs (g - fd) / (max 1.0 (max (abs g) (abs fd)))
            if not (err < Tolerance) then
                let missing = if (gradNode i).IsNone then " (autodiff gave no gradient)" else ""
                raise (GradientMismatch(
                    sprintf "%s: d loss / d input %d %s, element %d %s (value %.17g): autodiff %.17g%s, central difference %.17g, error %.3e (tolerance %.0e)"
                        (describe ()) i (showShape c.Shapes[i]) e (showShape (multiIndex c.Shapes[i] e)) x0 g missing fd err Tolerance))
