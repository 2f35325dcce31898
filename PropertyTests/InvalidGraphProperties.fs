/// Bad graphs fail when the offending node is built (docs/architecture.md, builder and graph): a GraphBuildException
/// whose message names the op and its inputs' types, never a crash or a garbage result later.
module InvalidGraphProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open Generators

let private forAll gen body = Prop.forAll (Arb.fromGen gen) body

/// Runs <c>build</c>, which must throw GraphBuildException at once, without adding a node, with a
/// message containing the op's name and every input's type (e.g. "f32[2,3]").
let private expectBuildError (b: GraphBuilder) (opName: string) (inputs: Node list) (build: unit -> Node) =
    let types = inputs |> List.map (fun n -> string n.Type)
    let before = b.Nodes.Count
    let message =
        try
            let n = build ()
            failwithf "%s on %s built %O: %O instead of failing" opName (String.concat ", " types) n n.Type
        with :? GraphBuildException as e -> e.Message
    if b.Nodes.Count <> before then
        failwithf "%s failed but left %d node(s) in the graph: %s" opName (b.Nodes.Count - before) message
    if not (message.Contains opName) then failwithf "the message does not name the op '%s': %s" opName message
    for t in types do
        if not (message.Contains t) then failwithf "the message does not name the input type %s: %s" t message

let private input (b: GraphBuilder) name dtype (shape: int[]) = b.Input(name, dtype, shape)

// ---------------------------------------------------------------------------------------------

type BroadcastMismatch = { Fn: BinaryFunction; A: int[]; B: int[] }

[<Property(MaxTest = 100)>]
let ``binary ops on shapes that do not broadcast fail at build time`` () =
    let g = gen {
        let! fn = Gen.elements [ BinaryFunction.Add; BinaryFunction.Sub; BinaryFunction.Mul; BinaryFunction.Div
                                 BinaryFunction.Max; BinaryFunction.Min; BinaryFunction.Greater; BinaryFunction.Equal ]
        let! a = shape
        let! axis = Gen.choose (0, a.Length - 1)
        let! da = Gen.choose (2, 5)
        let! db = Gen.choose (2, 5) |> Gen.where ((<>) da)
        let a = a |> Array.mapi (fun i d -> if i = axis then da else d)
        let! rank = Gen.choose (a.Length - axis, a.Length)
        let! other = broadcastableTo a
        // b: a suffix of a's rank `rank`, the conflicting dimension set to db, the rest as `other` (or 1).
        let b =
            Array.init rank (fun j ->
                let i = a.Length - rank + j
                if i = axis then db
                else
                    let k = i - (a.Length - other.Length)
                    if k >= 0 then other[k] else 1)
        let! swap = Gen.elements [ false; true ]
        return if swap then { Fn = fn; A = b; B = a } else { Fn = fn; A = a; B = b }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let x, y = input b "a" DType.F32 c.A, input b "b" DType.F32 c.B
        let op = BinaryOp(c.Fn)
        expectBuildError b op.Name [ x; y ] (fun () -> b.Apply(op, x, y)))

type ConvMismatch = { Geometry: ConvGeometry; FilterChannels: int }

[<Property(MaxTest = 100)>]
let ``conv2d with a filter whose channels do not match the input fails at build time`` () =
    let g = gen {
        let! geo = validConvGeometry
        let! wrong = Gen.choose (1, 5) |> Gen.where (fun k -> k <> geo.C / geo.Groups)
        return { Geometry = geo; FilterChannels = wrong }
    }
    forAll g (fun c ->
        let geo = c.Geometry
        let b = GraphBuilder()
        let x = input b "x" DType.F32 geo.XShape
        let w = input b "w" DType.F32 [| geo.OC; c.FilterChannels; geo.KH; geo.KW |]
        expectBuildError b "conv2d" [ x; w ] (fun () ->
            b.Conv2dRaw(x, w, stride = geo.Stride, padding = geo.Padding, dilation = geo.Dilation, groups = geo.Groups)))

type BadGroups = { C: int; OC: int; Groups: int }

[<Property(MaxTest = 100)>]
let ``conv2d with groups that do not divide the channels fails at build time`` () =
    let g = gen {
        let! c = Gen.choose (1, 4)
        let! oc = Gen.choose (1, 4)
        let! groups = Gen.choose (-2, 4) |> Gen.where (fun k -> k < 1 || c % k <> 0 || oc % k <> 0)
        return { C = c; OC = oc; Groups = groups }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let x = input b "x" DType.F32 [| 1; c.C; 5; 5 |]
        let w = input b "w" DType.F32 [| c.OC; 1; 1; 1 |]
        expectBuildError b "conv2d" [ x; w ] (fun () -> b.Conv2dRaw(x, w, groups = c.Groups)))

type TooLargeKernel = { Op: string; H: int; W: int; Kernel: int; Dilation: int; Padding: int }

[<Property(MaxTest = 100)>]
let ``kernels larger than the padded input fail at build time`` () =
    let g = gen {
        let! op = Gen.elements [ "conv2d"; "max_pool2d"; "avg_pool2d" ]
        let! h = Gen.choose (1, 4)
        let! w = Gen.choose (1, 4)
        let! kernel = Gen.choose (2, 6)
        let! dilation = if op = "conv2d" then Gen.choose (1, 2) else Gen.constant 1
        // Pooling allows padding up to half the kernel; the dilated kernel must exceed H or W padded.
        let! padding = Gen.choose (0, if op = "conv2d" then 2 else kernel / 2)
        return { Op = op; H = h; W = w; Kernel = kernel; Dilation = dilation; Padding = padding }
    }
    let tooLarge c = c.Dilation * (c.Kernel - 1) + 1 > min c.H c.W + 2 * c.Padding
    forAll (g |> Gen.where tooLarge) (fun c ->
        let b = GraphBuilder()
        let x = input b "x" DType.F32 [| 1; 2; c.H; c.W |]
        match c.Op with
        | "conv2d" ->
            let w = input b "w" DType.F32 [| 3; 2; c.Kernel; c.Kernel |]
            expectBuildError b "conv2d" [ x; w ] (fun () -> b.Conv2dRaw(x, w, padding = c.Padding, dilation = c.Dilation))
        | "max_pool2d" -> expectBuildError b "max_pool2d" [ x ] (fun () -> b.MaxPool2d(x, c.Kernel, stride = 1, padding = c.Padding))
        | _ -> expectBuildError b "avg_pool2d" [ x ] (fun () -> b.AvgPool2d(x, c.Kernel, stride = 1, padding = c.Padding)))

type MatMulMismatch = { TransposeA: bool; TransposeB: bool; A: int[]; B: int[] }

[<Property(MaxTest = 100)>]
let ``matmul with different inner dimensions fails at build time`` () =
    let g = gen {
        let! ta = Gen.elements [ false; true ]
        let! tb = Gen.elements [ false; true ]
        let! m = dim
        let! n = dim
        let! ka = dim
        let! kb = dim |> Gen.where ((<>) ka)
        return { TransposeA = ta; TransposeB = tb
                 A = (if ta then [| ka; m |] else [| m; ka |])
                 B = (if tb then [| n; kb |] else [| kb; n |]) }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let x, y = input b "a" DType.F32 c.A, input b "b" DType.F32 c.B
        expectBuildError b "matmul" [ x; y ] (fun () -> b.MatMul(x, y, transposeA = c.TransposeA, transposeB = c.TransposeB)))

type BadAxes = { Fn: ReduceFunction; Shape: int[]; Axes: int list }

[<Property(MaxTest = 100)>]
let ``reductions over an axis out of range fail at build time`` () =
    let g = gen {
        let! fn = Gen.elements [ ReduceFunction.Sum; ReduceFunction.Mean; ReduceFunction.Max ]
        let! s = shape
        let r = s.Length
        let! bad = Gen.oneof [ Gen.choose (r, r + 3); Gen.choose (-r - 3, -r - 1) ]
        let! good = Gen.subListOf [ 0 .. r - 1 ]
        let! axes = Gen.shuffle (bad :: good)
        return { Fn = fn; Shape = s; Axes = List.ofArray axes }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let x = input b "x" DType.F32 c.Shape
        let op = ReduceOp(c.Fn, List.toArray c.Axes, false)
        expectBuildError b op.Name [ x ] (fun () -> b.Apply(op, x)))

type BadReshape = { Shape: int[]; Target: int[] }

[<Property(MaxTest = 100)>]
let ``reshape to a different element count fails at build time`` () =
    let g = gen {
        let! s = shape
        let! t = shape |> Gen.where (fun t -> count t <> count s)
        return { Shape = s; Target = t }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let x = input b "x" DType.F32 c.Shape
        expectBuildError b "reshape" [ x ] (fun () -> b.Reshape(x, Shape(c.Target))))

type DTypeMismatch = { Op: string; First: DType; Second: DType }

[<Property(MaxTest = 100)>]
let ``mixing dtypes fails at build time`` () =
    let g = gen {
        let! op = Gen.elements [ "add"; "mul"; "max"; "matmul"; "conv2d"; "concat"; "where"; "batch_norm"; "softmax_cross_entropy"; "exp"; "softmax" ]
        let! first = Gen.elements [ DType.F32; DType.F64; DType.I32 ]
        let! second = Gen.elements [ DType.F32; DType.F64; DType.I32 ]
        return { Op = op; First = first; Second = second }
    }
    // Unary ops take one integer operand; the others two operands of different dtypes.
    let wrong c = if c.Op = "exp" || c.Op = "softmax" then c.First = DType.I32 else c.First <> c.Second
    forAll (g |> Gen.where wrong) (fun c ->
        let b = GraphBuilder()
        let t1, t2 = c.First, c.Second
        match c.Op with
        | "add" | "mul" | "max" ->
            let x, y = input b "a" t1 [| 2; 3 |], input b "b" t2 [| 2; 3 |]
            let op = BinaryOp(match c.Op with "add" -> BinaryFunction.Add | "mul" -> BinaryFunction.Mul | _ -> BinaryFunction.Max)
            expectBuildError b c.Op [ x; y ] (fun () -> b.Apply(op, x, y))
        | "matmul" ->
            let x, y = input b "a" t1 [| 2; 3 |], input b "b" t2 [| 3; 4 |]
            expectBuildError b c.Op [ x; y ] (fun () -> b.MatMul(x, y))
        | "conv2d" ->
            let x, w = input b "x" t1 [| 1; 2; 5; 5 |], input b "w" t2 [| 3; 2; 3; 3 |]
            expectBuildError b c.Op [ x; w ] (fun () -> b.Conv2dRaw(x, w))
        | "concat" ->
            let x, y = input b "a" t1 [| 2; 3 |], input b "b" t2 [| 4; 3 |]
            expectBuildError b c.Op [ x; y ] (fun () -> b.Concat(0, x, y))
        | "where" ->
            let m, x, y = input b "mask" t1 [| 2; 3 |], input b "a" t2 [| 2; 3 |], input b "b" t2 [| 2; 3 |]
            expectBuildError b c.Op [ m; x; y ] (fun () -> b.Where(m, x, y))
        | "batch_norm" ->
            let x = input b "x" t1 [| 2; 3; 2; 2 |]
            let p = [ for name in [ "gamma"; "beta"; "mean"; "var" ] -> input b name t2 [| 3 |] ]
            expectBuildError b c.Op (x :: p) (fun () -> b.BatchNormRaw(x, p[0], p[1], p[2], p[3]))
        | "softmax_cross_entropy" ->
            let x, y = input b "logits" t1 [| 2; 3 |], input b "targets" t2 [| 2; 3 |]
            expectBuildError b c.Op [ x; y ] (fun () -> b.SoftmaxCrossEntropy(x, y))
        | "exp" ->
            let x = input b "x" t1 [| 2; 3 |]
            expectBuildError b c.Op [ x ] (fun () -> b.Exp x)
        | _ ->
            let x = input b "x" t1 [| 2; 3 |]
            expectBuildError b c.Op [ x ] (fun () -> b.Softmax x))

type ConcatMismatch = { Kind: string; Axis: int; Shapes: int[] list }

[<Property(MaxTest = 100)>]
let ``concat of mismatched inputs fails at build time`` () =
    let g = gen {
        let! kind = Gen.elements [ "rank"; "dimension"; "axis" ]
        let! s = shapeWithRank 1 3
        let r = s.Length
        match kind with
        | "rank" ->
            let! other = shapeWithRank 1 4 |> Gen.where (fun o -> o.Length <> r)
            let! axis = Gen.choose (0, r - 1)
            let! shapes = Gen.shuffle [ s; other ]
            return { Kind = kind; Axis = axis; Shapes = List.ofArray shapes }
        | "dimension" when r >= 2 ->
            let! axis = Gen.choose (0, r - 1)
            let! off = Gen.choose (0, r - 1) |> Gen.where ((<>) axis)
            let! d = dim |> Gen.where ((<>) s[off])
            let other = s |> Array.mapi (fun i e -> if i = off then d else e)
            let! shapes = Gen.shuffle [ s; other ]
            return { Kind = kind; Axis = axis; Shapes = List.ofArray shapes }
        | _ ->
            let! axis = Gen.oneof [ Gen.choose (r, r + 2); Gen.choose (-r - 2, -r - 1) ]
            return { Kind = "axis"; Axis = axis; Shapes = [ s; s ] }
    }
    forAll g (fun c ->
        let b = GraphBuilder()
        let inputs = c.Shapes |> List.mapi (fun i s -> input b (sprintf "in%d" i) DType.F32 s)
        expectBuildError b "concat" inputs (fun () -> b.Concat(c.Axis, Array.ofList inputs)))
