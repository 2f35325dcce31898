using System.CommandLine;
using StaticGraph.Train.Bench;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `bench`: a full training step of the named workloads (<see cref="BenchWorkloads"/>) here and in PyTorch on the same
/// machine, in one run, as images/s and (with --memory) memory, one <see cref="BenchLine"/> per workload and measure
/// with the ratio ours/pytorch.
/// </summary>
public static class BenchCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var workload = new Option<string>("--workload")
        {
            Description = $"Workloads, comma-separated: {string.Join(", ", BenchWorkloads.All.Select(w => w.Name))}",
            DefaultValueFactory = _ => "rp20",
        };
        var device = new Option<string>("--device") { Description = "cpu or cuda (both sides run on it)", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string>("--precision")
        {
            Description = "f32, or on cuda tf32, bf16 or fp16; the peer matches it (TF32 on, or autocast + channels_last, with GradScaler for fp16)",
            DefaultValueFactory = _ => "f32",
        };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both (1: the lines read 'threads1 img/s')", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 3 untimed ones)", DefaultValueFactory = _ => 20 };
        var python = new Option<string>("--python") { Description = "Interpreter with PyTorch", DefaultValueFactory = _ => "/usr/bin/python3" };
        var peer = new Option<string?>("--peer-script") { Description = $"The PyTorch peer script (default: {PyTorchPeer.ScriptPath} of the repository)" };
        var profile = new Option<bool>("--profile") { Description = "Print the time per op of our step (CPU)" };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (ours, then PyTorch); the best of each is reported, which discounts passing load on a shared machine", DefaultValueFactory = _ => 3 };
        var memory = new Option<bool>("--memory")
        {
            Description = "Also measure memory, in the same rounds: step_mib on cpu (peak resident set of the timed steps over the resident set before the model, each side in a process of its own), peak_mib on cuda (device bytes our executable owns; PyTorch's max_memory_allocated)",
        };
        var worker = new Option<bool>("--worker") { Description = "Internal: measure one workload's memory in this process and print one line", Hidden = true };
        var dataParallel = new Option<int>("--data-parallel")
        {
            Description = "Also time the step on N ranks (mpirun -np N, each with --threads and 1/N of the batch) against one process with the same threads: the line {workload}_{device}_dp img/s np1=X npN=Y efficiency=Z",
        };
        var dpWorker = new Option<bool>("--dp-worker") { Description = "Internal: one rank of the data-parallel measure, under mpirun", Hidden = true };
        var command = new Command("bench", "Time a training step against PyTorch")
        {
            workload, device, precision, threads, batch, steps, python, peer, profile, rounds, memory, worker, dataParallel, dpWorker,
        };
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            var settings = new BenchSettings(r.GetValue(device)!, r.GetValue(precision)!, r.GetValue(threads), r.GetValue(batch),
                r.GetValue(steps), r.GetValue(rounds), r.GetValue(python)!, r.GetValue(peer) ?? PyTorchPeer.FindScript());
            settings.Validate();
            var workloads = BenchWorkloads.Parse(r.GetValue(workload)!);
            if (r.GetValue(dataParallel) is var ranks and not 0)
            {
                // The data-parallel line alone (the PyTorch comparison is the other lines' business); without the GPUs or
                // mpirun it needs, the line says skipped and why.
                Console.WriteLine($"{BenchRunner.Header(settings)} ranks={ranks}");
                foreach (var w in workloads) DataParallelBench.Run(Console.Out, w, settings, ranks);
                return 0;
            }
            StaticGraph.Train.Training.DeviceChoice.Resolve(settings.Device, null, settings.Precision); // no GPU: one line, before any output
            if (r.GetValue(dpWorker))
            {
                if (workloads.Count != 1) throw new ArgumentException("--dp-worker measures one workload");
                return DataParallelBench.Serve(Console.Out, workloads[0], settings);
            }
            if (r.GetValue(worker))
            {
                if (workloads.Count != 1) throw new ArgumentException("--worker measures one workload");
                return BenchWorker.Serve(Console.Out, workloads[0], settings);
            }
            Console.WriteLine(BenchRunner.Header(settings));
            var mismatches = BenchRunner.Run(Console.Out, workloads, settings, r.GetValue(memory), r.GetValue(profile));
            return mismatches == 0 ? 0 : 1;
        }));
        return command;
    }
}
