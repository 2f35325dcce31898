using StaticGraph.Distributed;
using Xunit;

namespace StaticGraph.Tests.Distributed;

/// <summary>
/// The fixed-order ring all-reduce and the other collectives, with the ranks as threads (<see cref="InProcessGroup"/>):
/// the same code MPI carries, so the order proven here is the order under mpirun.
/// </summary>
public class RingAllReduceTests
{
    private static double[] Values(int rank, int length, int seed)
    {
        var rng = new System.Random(seed * 31 + rank);
        return Enumerable.Range(0, length).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 4))).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Two_ranks_get_the_rank_order_sum_bit_for_bit(int length)
    {
        var results = InProcessGroup.Run(2, world =>
        {
            var x = Values(world.Rank, length, 1);
            world.AllReduceSum<double>(x);
            return x;
        });
        var (a, b) = (Values(0, length, 1), Values(1, length, 1));
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[i] + b[i]), BitConverter.DoubleToInt64Bits(results[0][i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(results[0][i]), BitConverter.DoubleToInt64Bits(results[1][i]));
        }
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(4, 1001)]
    [InlineData(5, 3)]
    [InlineData(5, 0)]
    public void Each_chunk_is_summed_in_the_documented_order_and_every_rank_gets_the_same_bits(int size, int length)
    {
        var results = InProcessGroup.Run(size, world =>
        {
            var x = Values(world.Rank, length, 2).Select(v => (float)v).ToArray();
            world.AllReduceSum<float>(x);
            return x;
        });
        var inputs = Enumerable.Range(0, size).Select(r => Values(r, length, 2).Select(v => (float)v).ToArray()).ToArray();
        for (var c = 0; c < size; c++)
        {
            // Chunk c covers [c·L/N, (c+1)·L/N) and is summed x_c + x_(c+1) + ... + x_(c-1), left to right.
            var (start, end) = ((int)((long)c * length / size), (int)((long)(c + 1) * length / size));
            for (var i = start; i < end; i++)
            {
                var expected = inputs[c][i];
                for (var k = 1; k < size; k++) expected += inputs[(c + k) % size][i];
                for (var r = 0; r < size; r++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(results[r][i]),
                        $"element {i} (chunk {c}) on rank {r}: {results[r][i]:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void With_three_ranks_the_order_rotates_with_the_chunk_as_documented()
    {
        // Every element of rank r holds v[r]; with three elements, element c is chunk c, summed from rank c rightwards:
        // (1 + 1e8) - 1e8 = 0, (1e8 - 1e8) + 1 = 1, (-1e8 + 1) + 1e8 = 0 in float. A rank-order sum would give 0 everywhere.
        float[] v = [1f, 1e8f, -1e8f];
        var results = InProcessGroup.Run(3, world =>
        {
            var x = new[] { v[world.Rank], v[world.Rank], v[world.Rank] };
            world.AllReduceSum<float>(x);
            return x;
        });
        Assert.All(results, x => Assert.Equal([0f, 1f, 0f], x));
    }

    [Fact]
    public void All_gather_returns_every_ranks_bytes_by_rank_whatever_their_lengths()
    {
        var results = InProcessGroup.Run(4, world => world.AllGather(Enumerable.Repeat((byte)world.Rank, world.Rank * 3).ToArray()));
        foreach (var gathered in results)
            for (var r = 0; r < 4; r++)
                Assert.Equal(Enumerable.Repeat((byte)r, r * 3), gathered[r]);
    }

    [Fact]
    public void Broadcast_copies_the_roots_bytes_in_pieces_to_every_rank()
    {
        const int length = (8 << 20) + 12345; // more than one piece of the chain
        var results = InProcessGroup.Run(3, world =>
        {
            var data = new byte[length];
            if (world.Rank == 2) for (var i = 0; i < length; i++) data[i] = (byte)(i * 7);
            world.Broadcast(data, root: 2);
            return data;
        });
        foreach (var data in results)
        {
            Assert.Equal(unchecked((byte)(12344 * 7)), data[12344]);
            Assert.Equal(unchecked((byte)((length - 1) * 7)), data[^1]);
        }
    }

    [Fact]
    public void Sharing_from_root_gives_every_rank_the_bytes_or_the_roots_failure()
    {
        var shared = InProcessGroup.Run(3, world => world.FromRoot(() => world.Rank == 0 ? [1, 2, 3] : throw new InvalidOperationException("only rank 0 produces")));
        Assert.All(shared, s => Assert.Equal(new byte[] { 1, 2, 3 }, s));
        var failures = InProcessGroup.Run(3, world =>
        {
            try
            {
                world.FromRoot(() => throw new IOException("the checkpoint cannot be read"));
                return "no failure";
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        });
        Assert.Equal("IOException: the checkpoint cannot be read", failures[0]);
        Assert.Equal("CollectiveException: the checkpoint cannot be read", failures[1]);
        Assert.Equal("CollectiveException: the checkpoint cannot be read", failures[2]);
    }

    [Fact]
    public void A_rank_that_fails_ends_the_others_waits_and_its_own_error_is_reported()
    {
        var e = Assert.Throws<InvalidOperationException>(() => InProcessGroup.Run(3, world =>
        {
            if (world.Rank == 1) throw new InvalidOperationException("rank 1 broke");
            var x = new double[10];
            world.AllReduceSum<double>(x);
            return 0;
        }));
        Assert.Equal("rank 1 broke", e.Message);
    }

    [Fact]
    public void A_silent_rank_is_reported_lost_by_name_after_the_timeout()
    {
        var group = InProcessGroup.Create(2, TimeSpan.FromMilliseconds(200));
        var e = Assert.Throws<PeerLostException>(() => group.Members[0].AllReduceSum<double>(new double[4]));
        Assert.Equal(1, e.Peer);
        Assert.Contains("rank 1 is lost", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Ranks_calling_different_collectives_are_caught()
    {
        var e = Assert.Throws<InvalidOperationException>(() => InProcessGroup.Run(2, world =>
        {
            if (world.Rank == 0) world.AllReduceSum<double>(new double[8]);
            else world.AllGather([1, 2]);
            return 0;
        }));
        Assert.Contains("called different collectives", e.Message);
    }

    [Fact]
    public void A_world_of_one_reduces_nothing()
    {
        double[] x = [1.5, -2];
        SingleProcess.Instance.AllReduceSum<double>(x);
        Assert.Equal([1.5, -2], x);
        Assert.Single(InProcessGroup.Run(1, world =>
        {
            world.AllReduceSum<double>(x);
            return x;
        }));
    }
}
