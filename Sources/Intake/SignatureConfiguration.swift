/// Whether and how the call-events webhook's signature is verified.
public struct SignatureConfiguration: Sendable {
    /// Verify signatures; when `true`, requests without a valid signature get 401. Default: `false`.
    public var isRequired: Bool = false
    /// The request header that carries the signature (case-insensitive). Default: `x-vox-signature`.
    public var header: String = "x-vox-signature"
    /// The signature's form. Default: ``SignatureScheme/timestampedDigest`` (`v=<ms>,d=<hex>`).
    public var scheme: SignatureScheme = .timestampedDigest
    /// The HMAC keys; a signature made with any of them is accepted, so secrets can rotate. Default: none.
    public var secrets: [String] = []
    /// How far the signed timestamp may be from the intake's clock, either way. Default: 5 min.
    public var tolerance: Duration = .seconds(300)

    public init() {}
}
