/// An attribute a format declares for a category (CVAT's `<label><attributes>`), or one a format defines for every
/// object (VOC's `difficult`, `truncated`, `occluded` and `pose`), with the values it allows.
public struct AttributeDefinition: Sendable, Hashable {
    /// The values an attribute may take.
    public enum Values: Sendable, Hashable {
        /// Any text (CVAT's `text`).
        case any
        /// One of these, exactly as written (CVAT's `select`, `radio` and `checkbox`; VOC's flags and poses).
        case oneOf([String])
        /// A number from `minimum` to `maximum` inclusive (CVAT's `number`, its `<values>` "min max step").
        case range(minimum: Double, maximum: Double)

        /// Whether `value` is allowed.
        public func allows(_ value: String) -> Bool {
            switch self {
            case .any: true
            case .oneOf(let values): values.contains(value)
            case .range(let minimum, let maximum):
                Double(value).map { minimum <= $0 && $0 <= maximum } ?? false
            }
        }

        /// The allowed values in words, for messages.
        public var phrase: String {
            switch self {
            case .any: "any text"
            case .oneOf(let values): values.map { "\"\($0)\"" }.joined(separator: ", ")
            case .range(let minimum, let maximum):
                "a number from \(AttributeValue.text(minimum)) to \(AttributeValue.text(maximum))"
            }
        }
    }

    public var name: String
    public var values: Values

    public init(name: String, values: Values = .any) {
        self.name = name
        self.values = values
    }

    /// VOC's flags and pose, which every object may carry: conventions of the format, checked for their values and
    /// for being written on some objects and not others, but not for their distribution (a set in which nothing is
    /// difficult is not at fault).
    public static let vocConventional: [AttributeDefinition] = [
        .init(name: "difficult", values: .oneOf(["0", "1"])),
        .init(name: "truncated", values: .oneOf(["0", "1"])),
        .init(name: "occluded", values: .oneOf(["0", "1"])),
        .init(name: "pose", values: .oneOf(["Unspecified", "Left", "Right", "Frontal", "Rear"])),
    ]
}

/// How attribute values are written as text, whatever their source: JSON booleans as `true`/`false`, whole
/// numbers without a fraction.
public enum AttributeValue {
    public static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
