using System.Runtime.CompilerServices;

// The sandbox's own tests register test doubles through SandboxStartOptions.ConfigureTestServices.
[assembly: InternalsVisibleTo("DemoHealthPlan.Sandbox.Tests")]
