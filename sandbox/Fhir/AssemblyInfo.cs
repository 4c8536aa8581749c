using System.Runtime.CompilerServices;

// The FHIR side keeps its machinery internal; its own tests exercise it directly.
[assembly: InternalsVisibleTo("DemoHealthPlan.Sandbox.Tests")]
