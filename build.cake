// Build, test, benchmark and train targets. `dotnet cake` runs Test.
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

Task("Test").IsDependentOn("Build").IsDependentOn("Format").Does(() =>
{
    // Microsoft.Testing.Platform (global.json) runs both test executables; the summary
    // it prints ("total / failed / succeeded / skipped") is what .ci/run reads.
    var exit = StartProcess("dotnet", $"test --solution Graph.sln -c {configuration} --no-build");
    if (exit != 0) throw new Exception($"tests failed (exit code {exit})");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", $"Train/bin/{configuration}/net10.0/sgtrain.dll bench --device cpu --threads 2");
    if (exit != 0) throw new Exception($"bench failed (exit code {exit})");
});

Task("Train").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", $"Train/bin/{configuration}/net10.0/sgtrain.dll train --dataset fashion-mnist --model resnet-preact-20 --out runs/default");
    if (exit != 0) throw new Exception($"training failed (exit code {exit})");
});

Task("DeviceStage").IsDependentOn("Build").Does(() =>
{
    // What a GPU machine without .NET needs, under .device/ (git-ignored; carried to the device, 64 MiB at most): the
    // runtime, and the test and CLI builds without the native libraries of other platforms (SkiaSharp's are ~540 MB).
    var exit = StartProcess("bash", "../shared/device/pack-runtime");
    if (exit != 0) throw new Exception("../shared/device/pack-runtime failed: run it from the repository root of a checkout beside shared/");
    // One folder: the test executables and the CLI (which the test build carries) share their libraries, and together
    // they fit beside the runtime.
    var to = ".device/bin";
    if (DirectoryExists(to)) DeleteDirectory(to, new DeleteDirectorySettings { Recursive = true, Force = true });
    CreateDirectory(to);
    foreach (var project in new[] { "Tests", "PropertyTests" })
    {
        var from = $"{project}/bin/{configuration}/net10.0";
        CopyFiles(GetFiles($"{from}/*").Where(f => f.GetExtension() != ".pdb" && !FileExists($"{to}/{f.GetFilename()}")), to);
        if (DirectoryExists($"{from}/runtimes/linux-x64")) CopyDirectory($"{from}/runtimes/linux-x64", $"{to}/runtimes/linux-x64");
    }
    StartProcess("du", "-sh .device");
});

RunTarget(target);
