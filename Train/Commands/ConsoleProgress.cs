using Spectre.Console;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>Shows training progress: a live bar on a terminal, plain lines otherwise (logs, CI).</summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/> with a progress sink suited to the console.</summary>
    public static T Run<T>(Func<ITrainingProgress, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return work(new PlainProgress());
        var result = default(T)!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = work(new BarProgress(ctx)));
        return result;
    }

    private sealed class BarProgress(ProgressContext ctx) : ITrainingProgress
    {
        private ProgressTask? _task;
        private int _epoch;

        public void EpochStarted(int epoch, int steps)
        {
            _epoch = epoch;
            _task = ctx.AddTask($"epoch {epoch}", maxValue: steps);
        }

        public void StepDone(int stepInEpoch, double loss, double imagesPerSecond)
        {
            _task!.Value = stepInEpoch;
            _task.Description = $"epoch {_epoch}  loss {loss:F4}  {imagesPerSecond:F0} img/s";
        }

        public void Evaluating() => _task!.Description += "  evaluating";

        public void EpochDone(EpochMetrics m)
        {
            _task!.Description = $"epoch {m.Epoch}  train {m.TrainAcc * 100:F2}%  test {m.TestAcc * 100:F2}%  ({m.Seconds:F0} s)";
            _task.StopTask();
        }
    }

    private sealed class PlainProgress : ITrainingProgress
    {
        private int _steps;
        private int _epoch;

        public void EpochStarted(int epoch, int steps) => (_epoch, _steps) = (epoch, steps);

        public void StepDone(int stepInEpoch, double loss, double imagesPerSecond)
        {
            if (stepInEpoch == 1 || stepInEpoch % 50 == 0 || stepInEpoch == _steps)
                Console.WriteLine($"epoch {_epoch} step {stepInEpoch}/{_steps} loss {loss:F4} {imagesPerSecond:F0} img/s");
        }

        public void Evaluating() => Console.WriteLine($"epoch {_epoch} evaluating");

        public void EpochDone(EpochMetrics m) =>
            Console.WriteLine($"epoch {m.Epoch} train_loss {m.TrainLoss:F4} train_acc {m.TrainAcc * 100:F2}% test_loss {m.TestLoss:F4} test_acc {m.TestAcc * 100:F2}% lr {m.Lr:G4} {m.Seconds:F1} s rss {ResidentMib()} MiB");
    }

    /// <summary>The process's resident set in MiB (Linux; "?" elsewhere): a run whose memory grows shows it here.</summary>
    private static string ResidentMib()
    {
        try
        {
            return (StaticGraph.Train.Bench.ResidentMemory.CurrentKib() / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }
}
