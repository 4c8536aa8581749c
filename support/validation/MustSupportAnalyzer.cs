using Hl7.Fhir.Model;

namespace DigitalInsurance.Conformance.Support.Validation;

/// <summary>
/// Finds which Must Support elements and slices of a profile's snapshot a set of resources populates.
/// </summary>
/// <remarks>
/// An element counts as populated in a resource when the resource has a value at its full element id, walking slices
/// by their discriminators: <c>Coverage.identifier:memberid</c> is an identifier whose <c>type</c> matches the slice's
/// pattern (MB), <c>Coverage.class:group</c> a class whose <c>type</c> is "group", an extension slice an extension with
/// the slice's URL, <c>value[x]:valueMoney</c> a value of type Money. A Must Support child of an optional parent that no
/// resource populates is therefore "not populated" too, with a note naming the parent, since a payer that never sends
/// the parent cannot show support for its children. Discriminators of type <c>profile</c> cannot be decided without
/// validating against that profile; such slices count as populated when an element exists at the path.
/// Slices only a provider organization can have (<see cref="ProviderOnlySlices"/>) are not counted when every
/// Organization examined is a payer: no resource of a payer can ever populate them.
/// </remarks>
internal sealed class MustSupportAnalyzer
{
    private readonly StructureDefinition _profile;
    private readonly List<ElementDefinition> _elements;
    private readonly Dictionary<string, ElementDefinition> _elementsById;

    public MustSupportAnalyzer(StructureDefinition profile)
    {
        _profile = profile;
        _elements = profile.Snapshot?.Element ?? [];
        _elementsById = _elements
            .Where(e => e.ElementId is not null)
            .GroupBy(e => e.ElementId!)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <param name="payors">References ("Organization/id") of the Organizations some Coverage names as its payor.</param>
    public MustSupportReport Analyze(IEnumerable<Resource> resources, IReadOnlySet<string>? payors = null)
    {
        var instances = resources.Where(r => r.TypeName == _profile.Type).ToList<Base>();
        var onlyPayers = instances.Count > 0 && instances.All(i => i is Organization organization && IsPayer(organization, payors));

        var populatedIn = new Dictionary<string, int>(StringComparer.Ordinal);
        int CountPopulating(string elementId)
        {
            if (!populatedIn.TryGetValue(elementId, out var count))
                populatedIn[elementId] = count = instances.Count(i => Select(i, elementId).Any());
            return count;
        }

        var elements = _elements
            .Where(e => e.MustSupport == true && e.ElementId is { } id && id.Contains('.'))
            .Select(e =>
            {
                var count = CountPopulating(e.ElementId!);
                string? note = null;
                if (count == 0)
                {
                    var absentAncestor = Ancestors(e.ElementId!).FirstOrDefault(a => CountPopulating(a) == 0);
                    if (absentAncestor is not null)
                        note = $"parent {absentAncestor} is not populated";
                }
                var notApplicable = count == 0 && onlyPayers ? ProviderOnly(e.ElementId!) : null;
                return new MustSupportElement(e.ElementId!, e.Path ?? e.ElementId!, e.SliceName, count, note,
                    count == 0 ? DemonstratedBy(e.ElementId!, CountPopulating) : null, notApplicable);
            })
            .ToList();

        return new MustSupportReport(_profile.Url ?? "", _profile.Type ?? "", instances.Count, elements);
    }

    /// <summary>
    /// Identifier slices US Core Organization (3.1.1 and 4.0.0, which C4DIC-Organization 1.0.0 and 1.1.0 derive from)
    /// defines for provider organizations: <c>identifier:NPI</c> "National Provider Identifier (NPI)" (Must Support) and
    /// <c>identifier:CLIA</c> "Clinical Laboratory Improvement Amendments (CLIA) Number for laboratories". An NPI is
    /// issued to health care providers (45 CFR 162.406: "the standard unique health identifier for health care providers") and a CLIA number to laboratories; C4DIC-Organization
    /// "is used to convey a payer organization" and gives it its own identifier slice, <c>identifier:payerid</c>.
    /// A payer cannot populate these slices, so for a payer they are not applicable rather than undemonstrated.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> ProviderOnlySlices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Organization.identifier:NPI"] = "an NPI identifies a health care provider; every Organization examined is a payer",
        ["Organization.identifier:CLIA"] = "a CLIA number identifies a laboratory; every Organization examined is a payer",
    };

    /// <summary>The reason the element is not applicable to a payer when it is (or lies in) a provider-only slice, else null.</summary>
    private static string? ProviderOnly(string elementId) =>
        ProviderOnlySlices.FirstOrDefault(s => elementId == s.Key || elementId.StartsWith(s.Key + ".", StringComparison.Ordinal)).Value;

    /// <summary>
    /// A payer: an Organization some Coverage names as its payor, or typed <c>pay</c> ("Payer", FHIR R4 organization-type:
    /// "An organization that reimburses for healthcare services").
    /// </summary>
    internal static bool IsPayer(Organization organization, IReadOnlySet<string>? payors) =>
        payors?.Contains($"Organization/{organization.Id}") == true
        || organization.Type.Any(type => type.Coding.Any(c => c.System == OrganizationTypeSystem && c.Code == "pay"));

    private const string OrganizationTypeSystem = "http://terminology.hl7.org/CodeSystem/organization-type";

    /// <summary>
    /// Exclusive choices a profile states as an invariant: the constrained element holds one side or the other, never
    /// both, so a payer can only ever populate one side. Keyed by the invariant's key; each side lists element ids
    /// relative to the constrained element.
    /// </summary>
    private static readonly Dictionary<string, string[][]> ExclusiveChoices = new(StringComparer.Ordinal)
    {
        // C4DIC 1.0.0 and 1.1.0, Coverage.costToBeneficiary.value[x]: "((value.exists() and currency.exists()) xor
        // extension.where(url='…C4DIC-BeneficiaryCostString-extension').exists()) and ((value.exists() xor currency.exists())).not()".
        ["ValueMoney-details-or-extension"] = [["value", "currency"], ["extension:C4DIC-BeneficiaryCostString-extension"]],
    };

    /// <summary>
    /// For an element no resource populates: the other side of an exclusive choice it belongs to, when the resources
    /// populate every element of that side ("Coverage.costToBeneficiary.value[x].extension:… (invariant …)"), else null.
    /// </summary>
    private string? DemonstratedBy(string elementId, Func<string, int> countPopulating)
    {
        foreach (var constrained in _elements.Where(e => e.ElementId is not null && elementId.StartsWith(e.ElementId + ".", StringComparison.Ordinal)))
        {
            foreach (var key in constrained.Constraint.Select(c => c.Key).Where(k => k is not null && ExclusiveChoices.ContainsKey(k)))
            {
                var sides = ExclusiveChoices[key!].Select(side => side.Select(relative => $"{constrained.ElementId}.{relative}").ToList()).ToList();
                var own = sides.FirstOrDefault(side => side.Contains(elementId));
                if (own is null) continue;
                var other = sides.Where(side => side != own).FirstOrDefault(side => side.All(id => countPopulating(id) > 0));
                if (other is not null) return $"{string.Join(" and ", other)} (invariant {key}: one side or the other, never both)";
            }
        }
        return null;
    }

    /// <summary>Ancestor element ids from the outermost down, without the root: a.b:s.c → a.b:s.</summary>
    private static IEnumerable<string> Ancestors(string elementId)
    {
        var segments = elementId.Split('.');
        for (var length = 2; length < segments.Length; length++)
            yield return string.Join('.', segments.Take(length));
    }

    /// <summary>The nodes of one resource at an element id, following slices by their discriminators.</summary>
    private IEnumerable<Base> Select(Base resource, string elementId)
    {
        var segments = elementId.Split('.');
        IEnumerable<Base> nodes = [resource];
        var idSoFar = segments[0];
        for (var i = 1; i < segments.Length; i++)
        {
            var (name, slice) = SplitSlice(segments[i]);
            var slicedElementId = $"{idSoFar}.{name}";
            var isChoice = name.EndsWith("[x]", StringComparison.Ordinal);
            var childName = isChoice ? name[..^3] : name;
            var children = nodes.SelectMany(n => Children(n, childName));

            if (slice is not null)
            {
                var sliceId = $"{slicedElementId}:{slice}";
                children = isChoice
                    ? children.Where(c => string.Equals(childName + Capitalised(c.TypeName), slice, StringComparison.Ordinal))
                    : children.Where(c => InSlice(c, slicedElementId, sliceId));
            }

            nodes = children.ToList();
            idSoFar = string.Join('.', segments.Take(i + 1));
        }
        return nodes;
    }

    private static (string Name, string? Slice) SplitSlice(string segment)
    {
        var colon = segment.IndexOf(':');
        return colon < 0 ? (segment, null) : (segment[..colon], segment[(colon + 1)..]);
    }

    private static string Capitalised(string? typeName) =>
        string.IsNullOrEmpty(typeName) ? "" : char.ToUpperInvariant(typeName[0]) + typeName[1..];

    private bool InSlice(Base candidate, string slicedElementId, string sliceId)
    {
        if (!_elementsById.TryGetValue(slicedElementId, out var sliced) || sliced.Slicing is null)
            return true;
        if (!_elementsById.TryGetValue(sliceId, out var sliceRoot))
            return false;

        foreach (var discriminator in sliced.Slicing.Discriminator)
        {
            var path = discriminator.Path ?? "$this";
            var matches = discriminator.Type switch
            {
                ElementDefinition.DiscriminatorType.Value or ElementDefinition.DiscriminatorType.Pattern => MatchesValue(candidate, sliceRoot, path),
                ElementDefinition.DiscriminatorType.Type => MatchesType(candidate, sliceRoot, path),
                ElementDefinition.DiscriminatorType.Exists => MatchesExistence(candidate, sliceRoot, path),
                _ => Navigate(candidate, path).Any(),
            };
            if (!matches)
                return false;
        }
        return true;
    }

    private bool MatchesValue(Base candidate, ElementDefinition sliceRoot, string path)
    {
        var parts = path == "$this" ? [] : path.Split('.');

        // The fixed value or pattern sits on the element at the path, or on an ancestor of it within the slice.
        for (var length = parts.Length; length >= 0; length--)
        {
            var constraintId = length == 0 ? sliceRoot.ElementId : $"{sliceRoot.ElementId}.{string.Join('.', parts.Take(length))}";
            if (constraintId is not null && _elementsById.TryGetValue(constraintId, out var constrained) && (constrained.Fixed ?? constrained.Pattern) is { } required)
                return Navigate(candidate, string.Join('.', parts.Take(length))).Any(actual => Contains(actual, required));
        }

        // Extension slices often carry no expanded children in the snapshot: their URL is the type's profile.
        if (path == "url" && sliceRoot.Type.FirstOrDefault()?.Profile.FirstOrDefault() is { } extensionUrl)
            return Navigate(candidate, "url").Any(u => Equals(PrimitiveValue(u), extensionUrl));

        return Navigate(candidate, path).Any();
    }

    private bool MatchesType(Base candidate, ElementDefinition sliceRoot, string path)
    {
        var typed = path == "$this" ? sliceRoot : _elementsById.GetValueOrDefault($"{sliceRoot.ElementId}.{path}") ?? sliceRoot;
        var allowed = typed.Type.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        return Navigate(candidate, path).Any(n => allowed.Count == 0 || allowed.Contains(n.TypeName));
    }

    private bool MatchesExistence(Base candidate, ElementDefinition sliceRoot, string path)
    {
        var constrained = _elementsById.GetValueOrDefault($"{sliceRoot.ElementId}.{path}");
        var mustBeAbsent = constrained?.Max == "0";
        return Navigate(candidate, path).Any() != mustBeAbsent;
    }

    private static IEnumerable<Base> Navigate(Base start, string path)
    {
        IEnumerable<Base> nodes = [start];
        if (path is "" or "$this")
            return nodes;
        foreach (var part in path.Split('.'))
        {
            var name = part.EndsWith("[x]", StringComparison.Ordinal) ? part[..^3] : part;
            nodes = nodes.SelectMany(n => Children(n, name)).ToList();
        }
        return nodes;
    }

    /// <summary>Pattern semantics: every value in <paramref name="expected"/> is present in <paramref name="actual"/>.</summary>
    private static bool Contains(Base actual, Base expected)
    {
        if (PrimitiveValue(expected) is { } value && !Equals(PrimitiveValue(actual), value))
            return false;
        return AllChildren(expected).All(e => Children(actual, e.Name).Any(a => Contains(a, e.Child)));
    }

    private static IEnumerable<Base> Children(Base node, string name) =>
        node.TryGetValue(name, out var value) ? Flatten(value) : [];

    private static IEnumerable<(string Name, Base Child)> AllChildren(Base node) =>
        node.EnumerateElements().SelectMany(element => Flatten(element.Value).Select(child => (element.Key, child)));

    private static IEnumerable<Base> Flatten(object? value) => value switch
    {
        Base single => [single],
        IEnumerable<Base> many => many,
        _ => [],
    };

    private static string? PrimitiveValue(Base node) => (node as PrimitiveType)?.JsonValue?.ToString();
}
