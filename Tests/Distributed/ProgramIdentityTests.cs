using StaticGraph.Distributed;
using StaticGraph.Ops;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Distributed;

/// <summary>What the ranks compare at start: the program, the options that shape the run, and the backend.</summary>
public class ProgramIdentityTests
{
    private static GraphProgram Program(int features)
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, 2, 1, 4, 4);
        var y = b.Input("label", DType.I32, 2);
        var loss = b.SoftmaxCrossEntropy(b.Linear(b.GlobalAvgPool(b.Conv2d(x, features, 3, padding: 1)), 3), y);
        return Autodiff.Train(loss, Sgd.WithNesterov(), Schedule.Constant(0.1), new DataParallel(2));
    }

    [Fact]
    public void The_hash_follows_the_program_the_options_and_the_backend_but_not_per_machine_settings()
    {
        var options = new TrainOptions { Seed = 3 };
        var hash = Convert.ToHexString(ProgramIdentity.Hash(Program(4), options, "cpu"));
        Assert.Equal(hash, Convert.ToHexString(ProgramIdentity.Hash(Program(4), options with { OutDir = "elsewhere", Threads = 7, DataDir = "/data" }, "cpu")));
        Assert.NotEqual(hash, Convert.ToHexString(ProgramIdentity.Hash(Program(5), options, "cpu")));
        Assert.NotEqual(hash, Convert.ToHexString(ProgramIdentity.Hash(Program(4), options with { Lr = 0.2 }, "cpu")));
        Assert.NotEqual(hash, Convert.ToHexString(ProgramIdentity.Hash(Program(4), options, "cuda")));
    }

    [Fact]
    public void Every_rank_refuses_with_the_same_line_naming_the_first_rank_that_differs()
    {
        var messages = InProcessGroup.Run(3, world =>
        {
            try
            {
                ProgramIdentity.RequireSame(world, Program(world.Rank == 2 ? 5 : 4), new TrainOptions(), "cpu");
                return "accepted";
            }
            catch (CollectiveException e)
            {
                return e.Message;
            }
        });
        Assert.All(messages, m => Assert.StartsWith("rank 2 runs another program than rank 0 (hash ", m));
        Assert.Single(messages.Distinct());
        Assert.All(InProcessGroup.Run(2, world =>
        {
            ProgramIdentity.RequireSame(world, Program(4), new TrainOptions(), "cpu");
            return "accepted";
        }), m => Assert.Equal("accepted", m));
    }
}
