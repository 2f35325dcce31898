namespace StaticGraph.Backend.Cpu;

/// <summary>A body of parallel work: task indices are a fixed partition chosen by the kernel.</summary>
public interface IParallelBody
{
    /// <summary>Runs task <paramref name="task"/> on worker <paramref name="worker"/> (0 = the calling thread).</summary>
    void Execute(int task, int worker);
}

/// <summary>
/// A fixed set of threads that run the tasks of one kernel at a time. Kernels split their work
/// into a partition that does not depend on the thread count, and reductions combine partial
/// results in task order, so results are bitwise identical whatever the number of threads.
/// The calling thread works too; nothing is allocated per call.
/// </summary>
/// <remarks>
/// Worker w always takes the w-th contiguous share of a kernel's tasks (static scheduling, as OpenMP's default), not
/// whichever task is next: kernels split a batch the same way, so a thread reads back mostly what it wrote itself in
/// the kernel before, from its own core's caches. With tasks handed out first come first served, the images a thread
/// wrote went to the other thread half the time; where the host placed the two cores far apart (a different L3), the
/// memory-bound kernels then ran at half speed (batch-norm backward 9.0 -> 17.9 ms per step, measured, the whole step
/// ~25% slower), while two single-thread processes on the same cores did not slow down.
/// </remarks>
public sealed class CpuWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly long[] _allocatedBytes;
    private readonly SemaphoreSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false);
    private IParallelBody? _body;
    private int _taskCount;
    private int _participants;
    private int _running;
    private Exception? _failure;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="count"/> - 1 background threads (the caller is the last worker).</summary>
    public CpuWorkers(int count)
    {
        Count = Math.Max(1, count);
        _threads = new Thread[Count - 1];
        _allocatedBytes = new long[Count];
        _start = [.. Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(0))];
        for (var i = 0; i < _threads.Length; i++)
        {
            var worker = i + 1;
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"cpu-worker-{worker}" };
            _threads[i].Start();
        }
        // The first wait of a thread that blocks allocates (the event's lock, the thread's waiter: 24 to 88 bytes measured),
        // and would do so in whichever step first has the caller wait for a worker, which under load can be any step. Pay
        // it now, on the thread that builds the workers (the one that runs the steps, as a rule), with a wait that times out.
        if (_threads.Length > 0) _done.Wait(1);
    }

    /// <summary>Number of workers, the calling thread included.</summary>
    public int Count { get; }

    /// <summary>
    /// Bytes the background workers have allocated on the managed heap since they started, as each last saw it when it
    /// finished its tasks of a <see cref="For"/> (so complete once that call returns): with the calling thread's own
    /// count, it shows that a step allocates nothing on any thread.
    /// </summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (var i = 1; i < _allocatedBytes.Length; i++) sum += Volatile.Read(ref _allocatedBytes[i]);
            return sum;
        }
    }

    /// <summary>Runs tasks 0..taskCount-1 of <paramref name="body"/> and returns when all are done.</summary>
    public void For(int taskCount, IParallelBody body)
    {
        if (taskCount <= 0) return;
        if (Count == 1 || taskCount == 1)
        {
            for (var t = 0; t < taskCount; t++) body.Execute(t, 0);
            return;
        }
        _body = body;
        _taskCount = taskCount;
        _failure = null;
        var helpers = Math.Min(_threads.Length, taskCount - 1);
        _participants = helpers + 1;
        _running = helpers + 1;
        _done.Reset();
        for (var worker = 1; worker <= helpers; worker++) _start[worker].Release();
        Work(0);
        _done.Wait();
        _body = null;
        if (_failure is not null) throw new AggregateException("a parallel kernel task failed", _failure);
    }

    private void Loop(int worker)
    {
        while (true)
        {
            _start[worker].Wait();
            if (_disposed) return;
            Work(worker);
        }
    }

    private void Work(int worker)
    {
        try
        {
            long count = _taskCount, participants = _participants;
            int first = (int)(worker * count / participants), end = (int)((worker + 1) * count / participants);
            for (var t = first; t < end && Volatile.Read(ref _failure) is null; t++) _body!.Execute(t, worker);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            if (worker > 0) Volatile.Write(ref _allocatedBytes[worker], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _running) == 0) _done.Set();
        }
    }

    /// <summary>Stops the background threads.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (var worker = 1; worker < Count; worker++) _start[worker].Release();
        foreach (var t in _threads) t.Join();
        foreach (var start in _start) start.Dispose();
        _done.Dispose();
    }
}
