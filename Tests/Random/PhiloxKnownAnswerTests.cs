using StaticGraph.Random;
using Xunit;

namespace StaticGraph.Tests.Random;

/// <summary>Philox4x32-10 against the published Random123 known-answer vectors (kat_vectors, philox4x32 10 rounds).</summary>
public class PhiloxKnownAnswerTests
{
    public static TheoryData<uint[], uint[], uint[]> Vectors => new()
    {
        { [0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
        { [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
        { [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Block_matches_the_Random123_known_answer(uint[] counter, uint[] key, uint[] expected)
    {
        var (x0, x1, x2, x3) = Philox4x32.Block(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
        Assert.Equal(expected, new[] { x0, x1, x2, x3 });
    }

    [Fact]
    public void RandomStream_puts_the_seed_in_the_key_and_element_draw_stream_step_in_the_counter()
    {
        // The third vector through the library's layout: seed = key1:key0, counter = (element, draw, stream, step).
        var bits = RandomStream.Bits(0x299f31d0_a4093822UL, element: 0x243f6a88, draw: 0x85a308d3, stream: 0x13198a2e, step: 0x03707344);
        Assert.Equal((0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u), bits);
    }
}
