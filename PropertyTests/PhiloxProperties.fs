/// Philox4x32-10 (docs/architecture.md, random numbers): the published Random123 known-answer vectors, and
/// distinct (element, stream, step) counters never giving the same output.
module PhiloxProperties

open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph.Random

/// Counter words 0..3, key words 0..1, output words 0..3 (Random123 kat_vectors, philox4x32 10 rounds).
let private vectors =
    [ [| 0x00000000u; 0x00000000u; 0x00000000u; 0x00000000u |], [| 0x00000000u; 0x00000000u |], [| 0x6627e8d5u; 0xe169c58du; 0xbc57ac4cu; 0x9b00dbd8u |]
      [| 0xffffffffu; 0xffffffffu; 0xffffffffu; 0xffffffffu |], [| 0xffffffffu; 0xffffffffu |], [| 0x408f276du; 0x41c83b0eu; 0xa20bc7c6u; 0x6d5451fdu |]
      [| 0x243f6a88u; 0x85a308d3u; 0x13198a2eu; 0x03707344u |], [| 0xa4093822u; 0x299f31d0u |], [| 0xd16cfe09u; 0x94fdccebu; 0x5001e420u; 0x24126ea1u |] ]

let private checkVector k =
    let c, key, expected = vectors[k]
    let struct (x0, x1, x2, x3) = Philox4x32.Block(c[0], c[1], c[2], c[3], key[0], key[1])
    let actual = [| x0; x1; x2; x3 |]
    if actual <> expected then
        failwithf "Philox4x32-10 of counter %08x %08x %08x %08x under key %08x %08x: got %08x %08x %08x %08x, expected %08x %08x %08x %08x"
            c[0] c[1] c[2] c[3] key[0] key[1] actual[0] actual[1] actual[2] actual[3] expected[0] expected[1] expected[2] expected[3]

[<Fact>]
let ``Philox4x32-10 matches the Random123 known answer for the zero counter and key`` () = checkVector 0

[<Fact>]
let ``Philox4x32-10 matches the Random123 known answer for the all-ones counter and key`` () = checkVector 1

[<Fact>]
let ``Philox4x32-10 matches the Random123 known answer for the digits of pi`` () = checkVector 2

/// A 32-bit word: small values (element indices, steps) as often as arbitrary ones.
let private word =
    Gen.oneof [ Gen.choose (0, 1000) |> Gen.map uint32
                Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32 ]

type CounterSample = { Seed: uint64; Counters: (uint32 * uint32 * uint32) list }

[<Property(MaxTest = 100)>]
let ``distinct element, stream and step counters give distinct outputs`` () =
    let g = gen {
        let! hi = word
        let! lo = word
        let! n = Gen.choose (2, 400)
        let! triples = Gen.listOfLength n (Gen.zip3 word word word)
        return { Seed = (uint64 hi <<< 32) ||| uint64 lo; Counters = List.distinct triples }
    }
    Prop.forAll (Arb.fromGen g) (fun c ->
        let outputs =
            c.Counters |> List.map (fun (element, stream, step) ->
                (element, stream, step), RandomStream.Bits(c.Seed, element, 0u, stream, step))
        outputs
        |> List.groupBy snd
        |> List.tryFind (fun (_, group) -> group.Length > 1)
        |> Option.iter (fun (bits, group) ->
            failwithf "seed %016x: counters (element, stream, step) %A all give %A" c.Seed (List.map fst group) bits))
