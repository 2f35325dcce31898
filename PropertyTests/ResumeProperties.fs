/// Issue 6's resume contract at the library level: a run checkpointed after any step k, loaded into
/// a freshly compiled executable and continued, is bitwise identical to the run that never stopped
/// (weights, losses, random draws), for generated k, seeds and small models with batch norm and a
/// random regularizer.
module ResumeProperties

open System
open System.IO
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open StaticGraph.Checkpoints
open StaticGraph.Regularizers

let private batch, side, classes, totalSteps = 4, 6, 3, 6

type ResumeCase = { Seed: uint64; StopAfter: int; Width: int; DropP: float }

let private cases = gen {
    let! seed = Gen.choose (0, Int32.MaxValue)
    let! k = Gen.choose (1, totalSteps - 1)
    let! width = Gen.elements [ 2; 4 ]
    let! p = Gen.elements [ 0.1; 0.3 ]
    return { Seed = uint64 seed; StopAfter = k; Width = width; DropP = p }
}

/// conv -> batch norm -> relu -> dropout -> global average pool -> linear -> cross-entropy.
let private program (c: ResumeCase) =
    let b = GraphBuilder(DType.F32)
    let x = b.Input("image", DType.F32, batch, 1, side, side)
    let y = b.Input("label", DType.I32, batch)
    let h = b.Relu(b.BatchNorm(b.Conv2d(x, c.Width, 3, padding = 1)))
    let h = Dropout.Apply(b, h, c.DropP)
    let logits = b.Linear(b.GlobalAvgPool(h), classes)
    let loss = b.SoftmaxCrossEntropy(logits, y)
    Autodiff.Train(loss, Sgd(0.9, 5e-4, true), Schedule.Cosine(0.1, int64 totalSteps))

/// The data of step s: a pure function of (seed, s), as the trainer's batches are.
let private feed (run: IExecutable) (c: ResumeCase) (s: int) =
    let rng = Random(int c.Seed + 7919 * s)
    let images = Array.init (batch * side * side) (fun _ -> float32 (rng.NextDouble() * 2.0 - 1.0))
    let labels = Array.init batch (fun _ -> rng.Next classes)
    run.SetInput("image", ReadOnlySpan images)
    run.SetInput("label", ReadOnlySpan labels)

let private steps (run: IExecutable) (p: GraphProgram) (c: ResumeCase) (first: int) (last: int) =
    [ for s in first .. last - 1 do
        feed run c s
        run.Run()
        yield BitConverter.SingleToInt32Bits((run.Read<float32> p.Fetches.[0]).[0]) ]

let private variables (run: IExecutable) (p: GraphProgram) =
    [ for v in p.Variables -> v.Name, run.ReadVariableBytes v.Name ]

[<Property(MaxTest = 25)>]
let ``stopping after any step k and resuming from the checkpoint is bitwise identical`` () =
    Prop.forAll (Arb.fromGen cases) (fun c ->
        let options = CompileOptions(Seed = c.Seed, Threads = 2)
        let p1 = program c
        use whole = CpuBackend.Instance.Compile(p1, options)
        let wholeLosses = steps whole p1 c 0 totalSteps

        let file = Path.Combine(Path.GetTempPath(), $"sg-resume-{Guid.NewGuid():N}.sgck")
        let p2 = program c
        let firstLosses =
            use first = CpuBackend.Instance.Compile(p2, options)
            let losses = steps first p2 c 0 c.StopAfter
            CheckpointFile.Save(file, first, p2, 0, null, c.Seed)
            losses
        // A different seed at compile time: everything must come from the checkpoint and the step.
        let p3 = program c
        use resumed = CpuBackend.Instance.Compile(p3, CompileOptions(Seed = c.Seed, Threads = 1))
        CheckpointFile.Load(file, resumed, p3) |> ignore
        File.Delete file
        let restLosses = steps resumed p3 c c.StopAfter totalSteps
        let same = variables whole p1 |> List.forall2 (fun (n1, a: byte[]) (n2, b: byte[]) -> n1 = n2 && a.AsSpan().SequenceEqual(ReadOnlySpan b)) (variables resumed p3)
        (wholeLosses = firstLosses @ restLosses && same && resumed.Step = int64 totalSteps)
        |> Prop.label $"k={c.StopAfter} seed={c.Seed}")
