extension SignatureScheme {
    /// The header form, for error messages.
    var form: String {
        switch self {
        case .timestampedDigest: "v=<unix ms>,d=<hex>"
        case .timestampedV0: "t=<unix s>,v0=<hex>"
        case .plainHex: "<hex>"
        }
    }
}
