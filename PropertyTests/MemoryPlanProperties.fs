/// The memory plan on generated DAGs of elementwise, reduce, reshape and batch-norm ops (a node with
/// three outputs, in training or inference programs): buffers live at the same time never share
/// bytes, every buffer is aligned, every read happens while its buffer is live, every output of a
/// multi-output node is live from its producer's kernel, and running the program gives what a naive
/// F# evaluation of the DAG gives.
module MemoryPlanProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Passes
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open Generators

/// One op of a DAG; operands are indices of earlier DAG values (the inputs come first). Batch norm
/// gives three values: y, then the mean and the variance it normalised with.
type DagOp =
    | Unary of UnaryFunction * int
    | Binary of BinaryFunction * int * int
    | Reduce of ReduceFunction * int list * bool * int
    | Reshape of int[] * int
    | BatchNorm of int

/// Fed inputs, the ops that follow them, the values fetched after the run, and the program's mode.
type Dag = { InputShapes: int[][]; InputValues: float[][]; Ops: DagOp list; Fetches: int list; Mode: ProgramMode }

// Batch norm's other inputs are constants, the running statistics distinct from any batch's.
let private bnGamma, bnBeta, bnRunningMean, bnRunningVar, bnEps = 1.5, 0.25, 0.5, 2.0, 1e-5

/// The shapes of the values a DAG op gives, from its operands' shapes.
let private shapesOf (shapes: int[][]) op =
    match op with
    | Unary(_, a) -> [ shapes[a] ]
    | Binary(_, a, b) -> [ (broadcastShapes shapes[a] shapes[b]).Value ]
    | Reduce(_, axes, keep, a) ->
        let s = shapes[a]
        let norm = axes |> List.map (fun x -> if x < 0 then x + s.Length else x)
        [ [| for i in 0 .. s.Length - 1 do
                 if not (List.contains i norm) then yield s[i]
                 elif keep then yield 1 |] ]
    | Reshape(target, _) -> [ target ]
    | BatchNorm a -> [ shapes[a]; [| shapes[a][1] |]; [| shapes[a][1] |] ]

/// How many DAG values an op gives.
let private outputCount op =
    match op with
    | BatchNorm _ -> 3
    | _ -> 1

let private unaryFns = [ UnaryFunction.Neg; UnaryFunction.Abs; UnaryFunction.Relu; UnaryFunction.Tanh; UnaryFunction.Sigmoid; UnaryFunction.Square ]
let private binaryFns = [ BinaryFunction.Add; BinaryFunction.Sub; BinaryFunction.Mul; BinaryFunction.Max; BinaryFunction.Min ]

/// An operand, preferring recent nodes so that chains (and dead intermediate values) form.
let private operand count =
    Gen.frequency [ 3, Gen.choose (max 0 (count - 3), count - 1); 1, Gen.choose (0, count - 1) ]

let private dagOp (shapes: int[][]) = gen {
    let n = shapes.Length
    let! kind = Gen.frequency [ 3, Gen.constant 0; 4, Gen.constant 1; 2, Gen.constant 2; 2, Gen.constant 3; 2, Gen.constant 4 ]
    let! a = operand n
    match kind with
    | 0 ->
        let! fn = Gen.elements unaryFns
        return Unary(fn, a)
    | 1 ->
        let partners = [ for j in 0 .. n - 1 do if (broadcastShapes shapes[a] shapes[j]).IsSome then yield j ]
        let! b = Gen.elements partners
        let! fn = Gen.elements binaryFns
        let! swap = Gen.elements [ false; true ]
        return if swap then Binary(fn, b, a) else Binary(fn, a, b)
    | 2 when shapes[a].Length > 0 ->
        let! fn = Gen.elements [ ReduceFunction.Sum; ReduceFunction.Mean; ReduceFunction.Max ]
        let! axes = axesOf shapes[a].Length
        let! keep = Gen.elements [ false; true ]
        return Reduce(fn, axes, keep, a)
    | 4 when shapes[a].Length >= 2 -> return BatchNorm a
    | _ ->
        let! target = reshapeTarget shapes[a]
        return Reshape(target, a)
}

let private dag = gen {
    let! baseShape = shapeWithRank 1 3
    let! inputCount = Gen.choose (1, 3)
    let! inputShapes = Gen.arrayOfLength inputCount (broadcastableTo baseShape)
    let! inputValues = inputShapes |> Array.map (count >> values) |> Gen.sequenceToArray
    let! opCount = Gen.choose (3, 14)
    let rec grow (shapes: int[][]) (ops: DagOp list) k = gen {
        if k = 0 then return List.rev ops
        else
            let! op = dagOp shapes
            return! grow (Array.append shapes (Array.ofList (shapesOf shapes op))) (op :: ops) (k - 1)
    }
    let! ops = grow inputShapes [] opCount
    let last = inputCount + (ops |> List.sumBy outputCount) - 1
    let! extra = Gen.subListOf [ 0 .. last - 1 ] |> Gen.map (List.truncate 2)
    let! mode = Gen.elements [ ProgramMode.Inference; ProgramMode.Training ]
    return { InputShapes = inputShapes; InputValues = inputValues; Ops = ops; Fetches = last :: extra; Mode = mode }
}

// ---------------------------------------------------------------------------------------------
// Naive evaluation

/// A value with, per element, a bound on the magnitudes it was computed from: rounding in any
/// order of evaluation stays within a small multiple of eps times the bound.
type private Value = { Shape: int[]; V: float[]; Bound: float[] }

let private strides (shape: int[]) =
    let s = Array.create shape.Length 1
    for i in shape.Length - 2 .. -1 .. 0 do s[i] <- s[i + 1] * shape[i + 1]
    s

/// The flat index into a tensor of <c>shape</c> broadcast to <c>out</c> at out's multi-index.
let private broadcastIndex (shape: int[]) (out: int[]) (index: int[]) =
    let lead = out.Length - shape.Length
    let st = strides shape
    let mutable flat = 0
    for i in 0 .. shape.Length - 1 do
        if shape[i] <> 1 then flat <- flat + index[lead + i] * st[i]
    flat

let private unaryFn fn (x: float) =
    match fn with
    | UnaryFunction.Neg -> -x
    | UnaryFunction.Abs -> abs x
    | UnaryFunction.Relu -> max x 0.0
    | UnaryFunction.Tanh -> tanh x
    | UnaryFunction.Sigmoid -> 1.0 / (1.0 + exp -x)
    | UnaryFunction.Square -> x * x
    | f -> failwithf "no naive %A" f

let private binaryFn fn (x: float) (y: float) =
    match fn with
    | BinaryFunction.Add -> x + y
    | BinaryFunction.Sub -> x - y
    | BinaryFunction.Mul -> x * y
    | BinaryFunction.Max -> max x y
    | BinaryFunction.Min -> min x y
    | f -> failwithf "no naive %A" f

let private evaluate (d: Dag) =
    let values = ResizeArray<Value>()
    for i in 0 .. d.InputShapes.Length - 1 do
        values.Add { Shape = d.InputShapes[i]; V = d.InputValues[i]; Bound = Array.map abs d.InputValues[i] }
    for op in d.Ops do
        let shapes = values |> Seq.map (fun v -> v.Shape) |> Array.ofSeq
        let out = (shapesOf shapes op).Head
        match op with
        | Unary(fn, a) ->
            let x = values[a]
            let bound m =
                match fn with
                | UnaryFunction.Square -> m * m
                | UnaryFunction.Tanh | UnaryFunction.Sigmoid -> m + 1.0
                | _ -> m
            values.Add { Shape = out; V = Array.map (unaryFn fn) x.V; Bound = Array.map bound x.Bound }
        | Binary(fn, a, b) ->
            let x, y = values[a], values[b]
            let n = count out
            let v = Array.zeroCreate n
            let m = Array.zeroCreate n
            for e in 0 .. n - 1 do
                let index = GradientCheck.multiIndex out e
                let i, j = broadcastIndex x.Shape out index, broadcastIndex y.Shape out index
                v[e] <- binaryFn fn x.V[i] y.V[j]
                m[e] <-
                    match fn with
                    | BinaryFunction.Mul -> x.Bound[i] * y.Bound[j]
                    | BinaryFunction.Max | BinaryFunction.Min -> max x.Bound[i] y.Bound[j]
                    | _ -> x.Bound[i] + y.Bound[j]
            values.Add { Shape = out; V = v; Bound = m }
        | Reduce(fn, axes, _, a) ->
            let x = values[a]
            let norm = axes |> List.map (fun ax -> if ax < 0 then ax + x.Shape.Length else ax)
            let kept = x.Shape |> Array.mapi (fun i d -> if List.contains i norm then 1 else d)
            let n = count kept
            let init = if fn = ReduceFunction.Max then Double.NegativeInfinity else 0.0
            let v = Array.create n init
            let m = Array.zeroCreate n
            for e in 0 .. x.V.Length - 1 do
                let k = broadcastIndex kept x.Shape (GradientCheck.multiIndex x.Shape e)
                v[k] <- (if fn = ReduceFunction.Max then max v[k] x.V[e] else v[k] + x.V[e])
                m[k] <- (if fn = ReduceFunction.Max then max m[k] x.Bound[e] else m[k] + x.Bound[e])
            let reduced = count x.Shape / n
            if fn = ReduceFunction.Mean then
                for k in 0 .. n - 1 do
                    v[k] <- v[k] / float reduced
                    m[k] <- m[k] / float reduced
            values.Add { Shape = out; V = v; Bound = m }
        | Reshape(_, a) -> values.Add { values[a] with Shape = out }
        | BatchNorm a ->
            let x = values[a]
            let channels = x.Shape[1]
            let plane = count x.Shape[2..]
            let channelOf e = e / plane % channels
            let perChannel = float (x.V.Length / channels)
            let xBound = Array.zeroCreate channels
            for e in 0 .. x.V.Length - 1 do xBound[channelOf e] <- max xBound[channelOf e] x.Bound[e]
            let mean, variance =
                if d.Mode = ProgramMode.Training then
                    // Two passes, as the f64 kernel: the mean, then the mean squared deviation.
                    let sum = Array.zeroCreate channels
                    for e in 0 .. x.V.Length - 1 do sum[channelOf e] <- sum[channelOf e] + x.V[e]
                    let mean = sum |> Array.map (fun s -> s / perChannel)
                    let squares = Array.zeroCreate channels
                    for e in 0 .. x.V.Length - 1 do
                        let dev = x.V[e] - mean[channelOf e]
                        squares[channelOf e] <- squares[channelOf e] + dev * dev
                    mean, squares |> Array.map (fun s -> s / perChannel)
                else Array.create channels bnRunningMean, Array.create channels bnRunningVar
            let scale = variance |> Array.map (fun v -> bnGamma / sqrt (v + bnEps))
            let y = x.V |> Array.mapi (fun e v -> (v - mean[channelOf e]) * scale[channelOf e] + bnBeta)
            // |x - mean| <= 2 B; a variance error of order eps B^2 moves the scale by eps B^2 / (var + eps).
            let yBound =
                Array.init x.V.Length (fun e ->
                    let c = channelOf e
                    bnBeta + 2.0 * (xBound[c] + bnRunningMean) * scale[c] * (1.0 + xBound[c] * xBound[c] / (variance[c] + bnEps)))
            values.Add { Shape = out; V = y; Bound = yBound }
            values.Add { Shape = [| channels |]; V = mean; Bound = Array.map (fun b -> b + bnRunningMean) xBound }
            values.Add { Shape = [| channels |]; V = variance; Bound = Array.map (fun b -> b * b + bnRunningVar) xBound }
    values

// ---------------------------------------------------------------------------------------------
// The library's graph

let private build (d: Dag) =
    let b = GraphBuilder(DType.F64)
    let nodes = ResizeArray<Node>()
    d.InputShapes |> Array.iteri (fun i s -> nodes.Add(b.Input(sprintf "x%d" i, DType.F64, s)))
    for op in d.Ops do
        match op with
        | Unary(fn, a) -> nodes.Add(b.Apply(UnaryOp(fn), nodes[a]))
        | Binary(fn, x, y) -> nodes.Add(b.Apply(BinaryOp(fn), nodes[x], nodes[y]))
        | Reduce(fn, axes, keep, a) -> nodes.Add(b.Apply(ReduceOp(fn, List.toArray axes, keep), nodes[a]))
        | Reshape(target, a) -> nodes.Add(b.Reshape(nodes[a], Shape(target)))
        | BatchNorm a ->
            let c = nodes[a].Shape[1]
            let fill v = b.Fill(v, DType.F64, c)
            // The node's projections (its mean and variance) follow it as DAG values.
            let y = b.BatchNormRaw(nodes[a], fill bnGamma, fill bnBeta, fill bnRunningMean, fill bnRunningVar, bnEps)
            nodes.AddRange y.Outputs
    nodes

/// The program of a DAG: its fetches, in its mode.
let private programOf (d: Dag) (nodes: ResizeArray<Node>) =
    GraphProgram.Create(d.Mode, d.Fetches |> List.map (fun i -> nodes[i]) |> Array.ofList, [||], null, null)

let private describe (o: BufferInterval) =
    sprintf "%O %s%O [%d..%d] bytes %d+%d" o.Owner o.Owner.Op.Name o.Owner.Type o.Start o.End o.Offset o.Bytes

[<Property(MaxTest = 200)>]
let ``buffers live at the same time never overlap, and all are 64-byte aligned`` () =
    Prop.forAll (Arb.fromGen dag) (fun d ->
        let nodes = build d
        let program = programOf d nodes
        let plan = MemoryPlan.Build program
        let buffers = plan.Buffers |> Array.ofSeq
        for p in buffers do
            if p.Offset % int64 MemoryPlan.Alignment <> 0L || p.Bytes % int64 MemoryPlan.Alignment <> 0L then
                failwithf "buffer %s is not %d-byte aligned" (describe p) MemoryPlan.Alignment
            if p.Bytes < p.Owner.Type.SizeInBytes then failwithf "buffer %s is smaller than its value" (describe p)
            if p.Offset + p.Bytes > plan.ArenaBytes then failwithf "buffer %s ends past the arena (%d bytes)" (describe p) plan.ArenaBytes
        for i in 0 .. buffers.Length - 1 do
            for j in i + 1 .. buffers.Length - 1 do
                let p, q = buffers[i], buffers[j]
                if p.OverlapsInTime q && p.OverlapsInSpace q then
                    failwithf "buffers %s and %s are live at the same time and share bytes\n%O" (describe p) (describe q) program)

[<Property(MaxTest = 200)>]
let ``every value is read while its buffer is live`` () =
    Prop.forAll (Arb.fromGen dag) (fun d ->
        let nodes = build d
        let program = programOf d nodes
        let plan = MemoryPlan.Build program
        let index = program.Nodes |> Seq.mapi (fun i n -> n, i) |> dict
        for n in program.Nodes do
            if not (MemoryPlan.IsPersistent(plan.StorageOf n)) && not (plan.BufferOf n).HasValue then
                failwithf "%O (%s) has no buffer\n%O" n n.Op.Name program
            if n.Op :? OutputOp then
                // A projection reads nothing: its producer's kernel writes it, so it is live from there.
                let b = plan.BufferOf n
                if b.Value.Start <> index[n.Producer] then
                    failwithf "%O (output %d of %O, at %d) has buffer %s, not live from its producer's kernel\n%O"
                        n n.OutputIndex n.Producer index[n.Producer] (describe b.Value) program
            else
                for input in n.Inputs do
                    let b = plan.BufferOf input
                    if b.HasValue && (b.Value.Start >= index[n] || b.Value.End < index[n]) then
                        failwithf "%O (%s, at %d) reads %O while its buffer %s is not live\n%O" n n.Op.Name index[n] input (describe b.Value) program
        for f in program.Fetches do
            let b = plan.BufferOf f
            if b.HasValue && b.Value.End < program.Nodes.Count then
                failwithf "fetched %O's buffer %s ends before the run does" f (describe b.Value))

[<Property(MaxTest = 200)>]
let ``running the planned program gives the naive evaluation's values`` () =
    Prop.forAll (Arb.fromGen dag) (fun d ->
        let nodes = build d
        let program = programOf d nodes
        let expected = evaluate d
        use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = 1UL, Threads = 2))
        // Inputs the fetches do not need are pruned from the program.
        let fed = program.Inputs |> Seq.map (fun n -> n.Name) |> Set.ofSeq
        d.InputValues |> Array.iteri (fun i v ->
            let name = sprintf "x%d" i
            if fed.Contains name then exe.SetInput<float>(name, ReadOnlySpan<float>(v)))
        exe.Run()
        for k in d.Fetches do
            let actual = exe.Read<float>(nodes[k])
            let e = expected[k]
            for i in 0 .. actual.Length - 1 do
                let same =
                    if Double.IsFinite e.V[i] then abs (actual[i] - e.V[i]) <= 1e-9 * e.Bound[i]
                    else actual[i].Equals(e.V[i])
                if not same then
                    failwithf "DAG node %d (%O, %s%O) element %d %s: run %.17g, naive %.17g (bound %.3g)\n%O"
                        k nodes[k] nodes[k].Op.Name nodes[k].Type i (showShape (GradientCheck.multiIndex e.Shape i))
                        actual[i] e.V[i] e.Bound[i] program)

[<Property(MaxTest = 100)>]
let ``a program fed once gives bitwise the same values on every run`` () =
    // Fed inputs stay live to the end of the run, so a caller may feed once and run many times.
    Prop.forAll (Arb.fromGen dag) (fun d ->
        let nodes = build d
        let program = programOf d nodes
        use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = 1UL, Threads = 2))
        let fed = program.Inputs |> Seq.map (fun n -> n.Name) |> Set.ofSeq
        d.InputValues |> Array.iteri (fun i v ->
            let name = sprintf "x%d" i
            if fed.Contains name then exe.SetInput<float>(name, ReadOnlySpan<float>(v)))
        let results () =
            exe.Run()
            d.Fetches |> List.map (fun k -> k, exe.Read<float>(nodes[k]) |> Array.map BitConverter.DoubleToInt64Bits)
        let first = results ()
        let second = results ()
        for (k, a), (_, b) in List.zip first second do
            match Array.zip a b |> Array.tryFindIndex (fun (x, y) -> x <> y) with
            | Some i ->
                failwithf "DAG node %d (%O %s) element %d: %.17g on the first run, %.17g on the second\n%O"
                    k nodes[k] nodes[k].Op.Name i (BitConverter.Int64BitsToDouble a[i]) (BitConverter.Int64BitsToDouble b[i]) program
            | None -> ())
