using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DigitalInsurance.Conformance.Tests")]
