using StaticGraph.Backend.Cpu;
using Xunit;

namespace StaticGraph.Tests.Cpu;

/// <summary>The worker threads: static shares of a kernel's tasks, and no allocation when the caller has to wait.</summary>
public class CpuWorkersTests
{
    /// <summary>Records which worker ran each task; worker <c>Slow</c> sleeps 50 ms in each of its tasks.</summary>
    private sealed class Recorder(int tasks) : IParallelBody
    {
        public int[] WorkerOf { get; } = new int[tasks];

        public int Slow { get; set; } = -1;

        public void Execute(int task, int worker)
        {
            WorkerOf[task] = worker;
            if (worker == Slow) Thread.Sleep(50);
        }
    }

    [Fact]
    public void Worker_w_takes_the_w_th_contiguous_share_of_the_tasks()
    {
        using var workers = new CpuWorkers(3);
        var body = new Recorder(8);
        workers.For(8, body);
        // Shares [w * 8 / 3, (w + 1) * 8 / 3): tasks 0-1 on the caller (worker 0), 2-4 on worker 1, 5-7 on worker 2.
        Assert.Equal([0, 0, 1, 1, 1, 2, 2, 2], body.WorkerOf);
    }

    [Fact]
    public void A_call_whose_caller_must_wait_for_a_worker_allocates_nothing_on_any_thread()
    {
        // The first wait that blocks a thread allocates; the workers pay it when they start, and the caller's is paid when
        // they are built, so the call that first makes the caller wait (a worker 50 ms late) is no different. The call
        // before it, with the caller late instead, lets the worker report what it allocated starting up.
        using var workers = new CpuWorkers(2);
        var body = new Recorder(2) { Slow = 0 };
        workers.For(2, body);
        body.Slow = 1;
        var (caller, worker) = (GC.GetAllocatedBytesForCurrentThread(), workers.WorkerAllocatedBytes);
        workers.For(2, body);
        Assert.Equal((0L, 0L), (GC.GetAllocatedBytesForCurrentThread() - caller, workers.WorkerAllocatedBytes - worker));
    }
}
