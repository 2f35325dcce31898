using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace StaticGraph.Data;

/// <summary>
/// Runs the batches of a <see cref="BatchPlan"/> through <see cref="BatchAssembler"/> on one background
/// thread, so that batch k+1 is prepared while the caller trains on batch k. Two buffers take turns:
/// the caller holds one, the thread fills the other. Every batch is bitwise identical to what the
/// synchronous path (a fresh plan of the same settings, then <see cref="BatchAssembler.Assemble"/> with
/// the plan's seed and the batch id) produces, because both are pure functions of (seed, epoch, batch).
/// </summary>
/// <remarks>
/// Not thread-safe: one thread calls <see cref="MoveNext"/> and <see cref="Dispose"/>. An exception thrown
/// while preparing a batch is rethrown (same type and stack) by the <see cref="MoveNext"/> that would have
/// returned that batch. Disposing stops the thread and waits for it.
/// </remarks>
public sealed class PrefetchingLoader : IDisposable
{
    private const int BufferCount = 2;

    private readonly ImageDataset _dataset;
    private readonly BatchPlan _plan;
    private readonly AugmentOptions _options;
    private readonly int _firstEpoch;
    private readonly int _epochCount;
    private readonly int _firstBatch;
    private readonly Action<long>? _beforeBatch;

    private readonly BlockingCollection<PreparedBatch> _free = new(BufferCount);
    private readonly BlockingCollection<PreparedBatch> _ready = new(BufferCount);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _producer;

    private ExceptionDispatchInfo? _failure;
    private PreparedBatch? _current;
    private bool _disposed;

    /// <summary>Starts preparing batches at once.</summary>
    /// <param name="dataset">Where the images come from.</param>
    /// <param name="plan">
    /// The batching settings (count, batch size, shuffle, drop-last, seed). The loader lays epochs out in its
    /// own copy, so the caller may keep using <paramref name="plan"/>. Its seed also seeds augmentation.
    /// </param>
    /// <param name="options">Which augmentations and whether to normalise.</param>
    /// <param name="firstEpoch">The first epoch to deliver.</param>
    /// <param name="epochCount">How many consecutive epochs to deliver.</param>
    /// <param name="firstBatch">Batches of the first epoch to skip (to resume mid-epoch).</param>
    public PrefetchingLoader(
        ImageDataset dataset, BatchPlan plan, AugmentOptions options, int firstEpoch, int epochCount, int firstBatch = 0)
        : this(dataset, plan, options, firstEpoch, epochCount, firstBatch, beforeBatch: null)
    {
    }

    /// <summary>As the public constructor; <paramref name="beforeBatch"/> runs on the producer thread before each batch (tests use it to inject delays and failures).</summary>
    internal PrefetchingLoader(
        ImageDataset dataset, BatchPlan plan, AugmentOptions options, int firstEpoch, int epochCount, int firstBatch, Action<long>? beforeBatch)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(firstEpoch);
        ArgumentOutOfRangeException.ThrowIfNegative(epochCount);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        if (plan.Count > dataset.Count)
            throw new ArgumentException($"the plan covers {plan.Count} examples but {dataset.Name} holds {dataset.Count}", nameof(plan));
        if (epochCount > 0 && firstBatch > plan.BatchCount)
            throw new ArgumentOutOfRangeException(nameof(firstBatch), firstBatch, $"an epoch has only {plan.BatchCount} batches");

        _dataset = dataset;
        _plan = new BatchPlan(plan.Count, plan.BatchSize, plan.Shuffle, plan.DropLast, plan.Seed);
        _options = options;
        _firstEpoch = firstEpoch;
        _epochCount = epochCount;
        _firstBatch = firstBatch;
        _beforeBatch = beforeBatch;
        TotalBatches = epochCount == 0 ? 0 : (long)epochCount * plan.BatchCount - firstBatch;

        int capacity = Math.Max(1, Math.Min(plan.BatchSize, plan.Count));
        for (int i = 0; i < BufferCount; i++)
            _free.Add(new PreparedBatch(capacity, dataset.ImageSize));

        _producer = new Thread(Produce) { IsBackground = true, Name = "batch prefetch" };
        _producer.Start();
    }

    /// <summary>How many batches the loader delivers in all.</summary>
    public long TotalBatches { get; }

    /// <summary>The batch returned by the last successful <see cref="MoveNext"/>.</summary>
    /// <exception cref="InvalidOperationException">No batch is current (before the first MoveNext or after the last).</exception>
    public PreparedBatch Current => _current ?? throw new InvalidOperationException("no batch is current; call MoveNext first");

    /// <summary>
    /// Hands the current batch's buffer back for refilling and waits for the next batch.
    /// Returns false once every batch has been delivered.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    /// <remarks>Whatever preparing the batch threw is rethrown here, with its type and stack.</remarks>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
        {
            // The caller is done with it, so the producer may overwrite it with the batch after next.
            _free.Add(_current);
            _current = null;
        }
        if (_ready.TryTake(out PreparedBatch? next, Timeout.Infinite))
        {
            _current = next;
            return true;
        }
        _failure?.Throw();
        return false;
    }

    /// <summary>Stops the background thread, waiting for it to finish the batch it is preparing.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stop.Cancel();
        _producer.Join();
        _current = null;
        _stop.Dispose();
        _free.Dispose();
        _ready.Dispose();
    }

    private void Produce()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            long ordinal = 0;
            for (int epoch = _firstEpoch; epoch < _firstEpoch + _epochCount; epoch++)
            {
                EpochBatches batches = _plan.StartEpoch(epoch);
                for (int index = epoch == _firstEpoch ? _firstBatch : 0; index < batches.Count; index++)
                {
                    PreparedBatch buffer = _free.Take(stop);
                    _beforeBatch?.Invoke(ordinal++);
                    PlannedBatch planned = batches[index];
                    buffer.Epoch = epoch;
                    buffer.Index = planned.Index;
                    buffer.Id = planned.Id;
                    buffer.Size = planned.Size;
                    BatchAssembler.Assemble(
                        _dataset, planned.Indices, _options, _plan.Seed, planned.Id,
                        buffer.ImageBuffer.AsSpan(0, planned.Size * _dataset.ImageSize),
                        buffer.LabelBuffer.AsSpan(0, planned.Size));
                    _ready.Add(buffer, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed: nobody is waiting for more batches.
        }
        catch (Exception e)
        {
            // Published before CompleteAdding, whose synchronisation makes it visible to the consumer.
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }
}
