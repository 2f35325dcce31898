// Build, pack, test, benchmark and train targets. `dotnet cake` runs Test (which packs and builds the README's examples).
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

Task("Build").Does(() =>
{
    DotNetBuild("Graph.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("Format").Does(() =>
{
    var exit = StartProcess("dotnet", "format Graph.sln --verify-no-changes --no-restore");
    if (exit != 0) throw new Exception("dotnet format found files to fix: run `dotnet format Graph.sln`.");
});

Task("Pack").IsDependentOn("Build").Does(() =>
{
    // Every packable project (the six libraries and the sgtrain tool) at the version of Directory.Build.props.
    var output = "artifacts/packages";
    if (DirectoryExists(output)) DeleteDirectory(output, new DeleteDirectorySettings { Recursive = true, Force = true });
    DotNetPack("Graph.sln", new DotNetPackSettings { Configuration = configuration, NoBuild = true, OutputDirectory = output });
    foreach (var package in GetFiles($"{output}/*.nupkg")) Information($"{package.GetFilename()}: {new System.IO.FileInfo(package.FullPath).Length / 1024} KiB");
});

Task("Examples").IsDependentOn("Pack").Does(() =>
{
    // The README's two programs, exactly as written there, in fresh console apps that know the packages only through
    // a local package source (the machine's configured sources stay, for the packages' own dependencies), with a
    // package cache of their own so a stale copy of this version cannot stand in. Each must print a finite loss.
    var readme = System.IO.File.ReadAllText("README.md").Replace("\r\n", "\n");
    string Block(string language)
    {
        var blocks = System.Text.RegularExpressions.Regex.Matches(readme, "```" + language + "\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (blocks.Count != 1) throw new Exception($"README.md must hold exactly one ```{language} block (the complete program), found {blocks.Count}");
        return blocks[0].Groups[1].Value;
    }
    var version = XmlPeek("Directory.Build.props", "/Project/PropertyGroup/Version");
    var packages = MakeAbsolute(Directory("artifacts/packages")).FullPath;
    var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "staticgraph-examples-" + Guid.NewGuid().ToString("N"));
    System.IO.Directory.CreateDirectory(root);
    System.IO.File.WriteAllText(System.IO.Path.Combine(root, "nuget.config"),
        $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"staticgraph-local\" value=\"{packages}\" />\n  </packageSources>\n</configuration>\n");
    var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = System.IO.Path.Combine(root, "packages-cache"), ["DOTNET_NOLOGO"] = "1" };
    IEnumerable<string> Run(string arguments, string workingDirectory)
    {
        var exit = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = arguments, WorkingDirectory = workingDirectory, EnvironmentVariables = environment,
            RedirectStandardOutput = true, RedirectStandardError = true,
        }, out var stdout, out var stderr);
        var lines = stdout.ToList();
        if (exit != 0) throw new Exception($"dotnet {arguments} failed (exit code {exit}):\n{string.Join("\n", lines.Concat(stderr))}");
        return lines;
    }
    try
    {
        foreach (var (language, template, file, references) in new[]
        {
            ("csharp", "C#", "Program.cs", new[] { "StaticGraph", "StaticGraph.Cuda", "StaticGraph.Regularizers", "StaticGraph.Models", "StaticGraph.Data", "StaticGraph.Onnx" }),
            ("fsharp", "F#", "Program.fs", new[] { "StaticGraph" }),
        })
        {
            var app = System.IO.Path.Combine(root, language);
            Run($"new console -lang \"{template}\" -o \"{app}\" --no-update-check --no-restore", root);
            foreach (var package in references) Run($"add package {package} --version {version}", app);
            System.IO.File.WriteAllText(System.IO.Path.Combine(app, file), Block(language));
            var output = Run("run -c Release", app).ToList();
            var losses = output.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"loss (\S+)")).Where(m => m.Success)
                .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (losses.Count == 0 || !double.IsFinite(losses[^1]))
                throw new Exception($"the README's {language} program printed no finite loss:\n{string.Join("\n", output)}");
            Information($"README {language} program, built from the packages: {string.Join(" | ", output)}");
        }
        var tool = System.IO.Path.Combine(root, "tool");
        Run($"tool install --tool-path \"{tool}\" --add-source \"{packages}\" StaticGraph.Cli --version {version}", root);
        var recipes = StartProcess(System.IO.Path.Combine(tool, "sgtrain"), new ProcessSettings { Arguments = "recipes --names", RedirectStandardOutput = true }, out var names);
        if (recipes != 0 || !names.Any()) throw new Exception("the installed sgtrain tool did not list its recipes");
        Information($"sgtrain installed from StaticGraph.Cli {version} runs: `sgtrain recipes --names` exited with 0");
    }
    finally
    {
        DeleteDirectory(root, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
});

Task("Test").IsDependentOn("Build").IsDependentOn("Format").IsDependentOn("Examples").Does(() =>
{
    // Microsoft.Testing.Platform (global.json) runs both test executables; the summary
    // it prints ("total / failed / succeeded / skipped") is what .ci/run reads. The JUnit
    // reports of the same run give the conformance line.
    var results = System.IO.Path.GetFullPath("TestResults/ci");
    if (DirectoryExists(results)) DeleteDirectory(results, new DeleteDirectorySettings { Recursive = true, Force = true });
    var exit = StartProcess("dotnet", $"test --solution Graph.sln -c {configuration} --no-build --report-xunit-junit --results-directory {results}");
    Information(ConformanceLine(results));
    // The failures again, last, with their messages: a CI log is often read from its tail only.
    foreach (var failure in Failures(results)) Error(failure);
    if (exit != 0) throw new Exception($"tests failed (exit code {exit})");
});

// "FAILED Namespace.Class.Method(args): first lines of the message" for every failed or errored test case of the run's JUnit reports.
IEnumerable<string> Failures(string results)
{
    foreach (var test in TestCases(results))
    {
        var failure = test.Element("failure") ?? test.Element("error");
        if (failure is null) continue;
        var message = string.Join("\n", ((string)failure.Attribute("message") ?? failure.Value).Split('\n').Take(12));
        var trace = string.Join("\n", failure.Value.Split('\n').Where(l => l.TrimStart().StartsWith("at ") && !l.TrimStart().StartsWith("at System.")).Take(6));
        yield return $"FAILED {(string)test.Attribute("name")}: {message}\n{trace}";
    }
}

// Every <testcase> of the run's JUnit reports.
IEnumerable<System.Xml.Linq.XElement> TestCases(string results) =>
    (System.IO.Directory.Exists(results) ? System.IO.Directory.GetFiles(results, "*.junit.xml", System.IO.SearchOption.AllDirectories) : Array.Empty<string>())
        .SelectMany(file => System.Xml.Linq.XDocument.Load(file).Descendants("testcase"));

// "conformance: N cases (cpu-f32 a, ..., gpu-f32 b skipped, ...)": the conformance kit's tests as the run reported them,
// counted per test class named *ConformanceTests (CpuF32ConformanceTests is "cpu-f32"), with how many were skipped.
string ConformanceLine(string results)
{
    var classes = new SortedDictionary<string, (int Cases, int Skipped, int Failed)>(StringComparer.Ordinal);
    foreach (var test in TestCases(results))
    {
        var name = ((string)test.Attribute("classname") ?? "").Split('.').Last();
        if (!name.EndsWith("ConformanceTests")) continue;
        var label = System.Text.RegularExpressions.Regex.Replace(name[..^"ConformanceTests".Length], "(?<=[a-z0-9])(?=[A-Z])", "-").ToLowerInvariant();
        var (cases, skipped, failed) = classes.GetValueOrDefault(label);
        classes[label] = (cases + 1, skipped + (test.Element("skipped") is null ? 0 : 1), failed + (test.Element("failure") is null && test.Element("error") is null ? 0 : 1));
    }
    if (classes.Count == 0) return "conformance: no conformance tests were reported";
    string Part(KeyValuePair<string, (int Cases, int Skipped, int Failed)> c) =>
        $"{c.Key} {c.Value.Cases}" + (c.Value.Skipped == c.Value.Cases ? " skipped" : c.Value.Skipped > 0 ? $" ({c.Value.Skipped} skipped)" : "")
        + (c.Value.Failed > 0 ? $" ({c.Value.Failed} failed)" : "");
    return $"conformance: {classes.Values.Sum(c => c.Cases)} cases ({string.Join(", ", classes.Select(Part))})";
}

Task("Bench").IsDependentOn("Build").Does(() =>
{
    // The CPU lines of the benchmark issue, against PyTorch in the same runs (interleaved rounds): rp20 and ss26_2x32d
    // img/s on 2 threads, rp20 step_mib, rp20 img/s on 1 thread; then data parallelism: rp20 on 2 ranks x 1 thread
    // (mpirun) against 1 process x 1 thread, and the same with NCCL on 2 GPUs (skipped, saying why, without them); then
    // the resident set's growth over a six-epoch training run. The runs' output streams as it comes; the lines are
    // repeated together at the end. --bench-steps=N --bench-rounds=N shorten it.
    var steps = Argument("bench-steps", 20);
    var rounds = Argument("bench-rounds", 3);
    var summary = new List<string>();
    foreach (var args in new[]
    {
        "--device cpu --workload rp20 --threads 2 --memory",
        "--device cpu --workload ss26_2x32d --threads 2",
        "--device cpu --workload rp20 --threads 1",
        "--device cpu --workload rp20 --threads 1 --data-parallel 2",
        "--device cuda --workload rp20c3 --data-parallel 2",
    })
    {
        var exit = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"Train/bin/{configuration}/net10.0/sgtrain.dll bench --steps {steps} --rounds {rounds} {args}",
            RedirectStandardOutput = true,
            RedirectedStandardOutputHandler = line =>
            {
                if (line is null) return line;
                Console.WriteLine(line);
                if ((line.StartsWith("bench: ") && summary.Count == 0) || ((line.Contains("_train ") || line.Contains("_dp img/s")) && !line.StartsWith("round "))) summary.Add(line);
                return line;
            },
        });
        if (exit != 0) throw new Exception($"bench {args} failed (exit code {exit})");
    }
    // The process must not grow from epoch to epoch: the resident set the epoch lines of a six-epoch run print
    // (`... rss N MiB`), epoch 2 against epoch 6 (epoch 1 still warms up), within 2%. --bench-rss=false skips it.
    string? rss = null;
    if (Argument("bench-rss", true))
    {
        var epochs = new Dictionary<int, double>();
        var dir = $"runs/bench-rss-{Guid.NewGuid():N}";
        var exit = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"Train/bin/{configuration}/net10.0/sgtrain.dll train --dataset fashion-mnist --model resnet-preact-20 --epochs 6 --train-limit 15000 --threads 2 --device cpu --out {dir}",
            RedirectStandardOutput = true,
            RedirectedStandardOutputHandler = line =>
            {
                if (line is null) return line;
                Console.WriteLine(line);
                var m = System.Text.RegularExpressions.Regex.Match(line, @"^epoch (\d+) .* rss (\d+) MiB$");
                if (m.Success) epochs[int.Parse(m.Groups[1].Value)] = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                return line;
            },
        });
        if (DirectoryExists(dir)) DeleteDirectory(dir, new DeleteDirectorySettings { Recursive = true, Force = true });
        if (exit != 0 || !epochs.ContainsKey(2) || !epochs.ContainsKey(6)) throw new Exception($"the six-epoch training run failed (exit code {exit}) or printed no rss for epochs 2 and 6");
        var growth = (epochs[6] - epochs[2]) / epochs[2] * 100;
        rss = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rp20_cpu_train rss_mib epoch2={epochs[2]:F0} epoch6={epochs[6]:F0} growth={growth:F2}%");
        if (Math.Abs(growth) > 2) rss += " (more than 2%)";
    }
    // The issues' order: the speeds on 2 threads, the memory, the speed on 1 thread, data parallelism (OrderBy is stable), the growth.
    Console.WriteLine();
    foreach (var line in summary.OrderBy(l => l.Contains("_dp img/s") ? 4 : l.Contains(" threads1 ") ? 3 : l.Contains(" step_mib ") ? 2 : l.StartsWith("bench: ") ? 0 : 1))
        Console.WriteLine(line);
    if (rss is not null)
    {
        Console.WriteLine(rss);
        if (rss.EndsWith("(more than 2%)")) throw new Exception("the resident set grew by more than 2% from epoch 2 to epoch 6");
    }
});

Task("Train").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", $"Train/bin/{configuration}/net10.0/sgtrain.dll train --dataset fashion-mnist --model resnet-preact-20 --out runs/default");
    if (exit != 0) throw new Exception($"training failed (exit code {exit})");
});

Task("DeviceStage").IsDependentOn("Build").Does(() =>
{
    // What a GPU machine without .NET needs, as one archive (.device/ is git-ignored; it is carried to the device, where the
    // working tree and everything carried must stay under 64 MiB): the .NET runtime (no SDK) under dotnet/, and the test
    // executables and the CLI under bin/ (one folder: they share their libraries), without the native libraries of other
    // platforms (SkiaSharp's are ~540 MB). xz halves what gzip leaves.
    var stage = ".device/stage";
    if (DirectoryExists(stage)) DeleteDirectory(stage, new DeleteDirectorySettings { Recursive = true, Force = true });
    CreateDirectory($"{stage}/bin");
    foreach (var project in new[] { "Tests", "PropertyTests" })
    {
        var from = $"{project}/bin/{configuration}/net10.0";
        CopyFiles(GetFiles($"{from}/*").Where(f => f.GetExtension() is not (".pdb" or ".xml") && !FileExists($"{stage}/bin/{f.GetFilename()}")), $"{stage}/bin");
        if (DirectoryExists($"{from}/runtimes/linux-x64")) CopyDirectory($"{from}/runtimes/linux-x64", $"{stage}/bin/runtimes/linux-x64");
    }
    // The runtime this SDK runs on: the host (dotnet, host/) and the newest Microsoft.NETCore.App.
    var dotnet = System.IO.Path.GetDirectoryName(new System.IO.FileInfo(Context.Tools.Resolve("dotnet").FullPath).ResolveLinkTarget(true)?.FullName
        ?? Context.Tools.Resolve("dotnet").FullPath);
    var runtime = System.IO.Directory.GetDirectories($"{dotnet}/shared/Microsoft.NETCore.App").OrderBy(d => new Version(System.IO.Path.GetFileName(d).Split('-')[0])).Last();
    CreateDirectory($"{stage}/dotnet/shared/Microsoft.NETCore.App");
    CopyFile($"{dotnet}/dotnet", $"{stage}/dotnet/dotnet");
    CopyDirectory($"{dotnet}/host", $"{stage}/dotnet/host");
    CopyDirectory(runtime, $"{stage}/dotnet/shared/Microsoft.NETCore.App/{System.IO.Path.GetFileName(runtime)}");
    var exit = StartProcess("bash", new ProcessSettings { Arguments = $"-c \"XZ_OPT='-6 -T0' tar cJf .device/stage.tar.xz -C {stage} . && chmod +x .device 2>/dev/null; rm -rf {stage}\"" });
    if (exit != 0) throw new Exception("packing .device/stage.tar.xz failed");
    var mib = new System.IO.FileInfo(".device/stage.tar.xz").Length / (1024.0 * 1024.0);
    Information($".device/stage.tar.xz: {mib:F1} MiB (runtime {System.IO.Path.GetFileName(runtime)} + tests + CLI); on the device: bash bench/gpu-checks.sh");
    if (mib > 48) throw new Exception($".device/stage.tar.xz is {mib:F1} MiB: with the working tree it would pass the device's 64 MiB carry limit");
});

RunTarget(target);
