using DigitalInsurance.Conformance.Bench;

// bench/run.sh builds this and runs `all`; the other commands are its parts (and `probe-cold-start`, the child process
// the cold-start measurement launches).
return args.FirstOrDefault() switch
{
    "all" => await BenchRun.RunAllAsync(BenchOptions.Parse(args.Skip(1))),
    { } part when BenchRun.Parts.Contains(part) => await BenchRun.RunPartAsync(BenchOptions.Parse(args.Skip(1)), parts: [part]),
    "generate-members" => MemberData.GenerateCommand(BenchOptions.Parse(args.Skip(1))),
    ColdStart.ProbeCommand => await ColdStart.ProbeAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet DigitalInsurance.Conformance.Bench.dll <command> [options]   (normally through bench/run.sh)
          all                 every part below; writes results.json and results.md
          cold-start | throughput | suite | detection | own-tests | ci    one part only (results.json is updated with that part)
          generate-members    --members N --out <folder>: a sandbox data folder and members file for N members
        Options: --repo <repository root> (default: found from here), --out <folder> (default: <repo>/bench),
                 --short (fewer repetitions), --members 1,5,20 (suite runs), --parallelism N (default 4)
        """);
    return 2;
}
