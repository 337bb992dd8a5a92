import CallEvents
import Foundation

/// Directory entries from a file: CSV with a header line (`number,name,tier,…`; the first column
/// is the E.164 number, the others are variables; empty cells are left out) or JSON
/// (`{"+8210…": {"name": "…"}}`), chosen by the file's extension.
public enum DirectoryFile {
    public static func load(path: String) throws(IntakeError) -> [DirectoryEntry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalidDirectoryEntry("cannot read directory file \(path): \(error.localizedDescription)")
        }
        if path.lowercased().hasSuffix(".json") {
            return try parseJSON(Array(data))
        }
        return try parseCSV(String(decoding: data, as: UTF8.self))
    }

    public static func parseCSV(_ text: String) throws(IntakeError) -> [DirectoryEntry] {
        let rows = CSVParser.rows(text)
        guard let header = rows.first else { return [] }
        guard header.count >= 1 else { throw .invalidDirectoryEntry("the CSV header is empty") }
        let names = header.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        var entries: [DirectoryEntry] = []
        for (index, row) in rows.dropFirst().enumerated() {
            let number = row[0].trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty else { throw .invalidDirectoryEntry("CSV line \(index + 2) has no number") }
            guard row.count <= header.count else {
                throw .invalidDirectoryEntry("CSV line \(index + 2) has \(row.count) fields, the header \(header.count)")
            }
            var variables: [String: String] = [:]
            for (name, value) in zip(names, row.dropFirst()) where !value.isEmpty && !name.isEmpty {
                variables[name] = value
            }
            entries.append(DirectoryEntry(number: number, variables: variables))
        }
        return entries
    }

    public static func parseJSON(_ bytes: [UInt8]) throws(IntakeError) -> [DirectoryEntry] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw .invalidDirectoryEntry("the directory file is not JSON: \(error.message)")
        }
        guard case .object(let object) = value else {
            throw .invalidDirectoryEntry("the directory file is \(value.typeName), expected an object of numbers")
        }
        var entries: [DirectoryEntry] = []
        for member in object.members {
            guard case .object(let variables) = member.value else {
                throw .invalidDirectoryEntry("the entry of a number is \(member.value.typeName), expected an object")
            }
            entries.append(DirectoryEntry(number: member.key, variables: try DirectoryEntry.strings(variables)))
        }
        return entries
    }
}
