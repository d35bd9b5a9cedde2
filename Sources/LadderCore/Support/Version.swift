/// The Ladder version, shown by `ladder --version` and written into package metadata.
public let version = "0.1.0"
