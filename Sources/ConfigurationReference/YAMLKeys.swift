import Yams

/// The leaf keys of a YAML configuration file, dotted (`intake.signature.secrets`), each with its line.
public enum YAMLKeys {
    /// Every leaf (a value that is no mapping), in file order; `line` counts from 1.
    public static func leaves(ofYAML text: String) throws -> [(key: String, line: Int)] {
        guard let root = try Yams.compose(yaml: text) else { return [] }
        var leaves: [(key: String, line: Int)] = []
        func walk(_ node: Node, _ path: [String]) {
            guard let mapping = node.mapping, mapping.count > 0 || path.isEmpty else {
                leaves.append((path.joined(separator: "."), (node.mark?.line ?? 0)))
                return
            }
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                guard value.mapping != nil else {
                    leaves.append(((path + [name]).joined(separator: "."), key.mark?.line ?? 0))
                    continue
                }
                walk(value, path + [name])
            }
        }
        walk(root, [])
        return leaves
    }
}
