/// Copies `count` floats from `source[sourceOffset...]` to `destination[destinationOffset...]`
/// without intermediate arrays: the row gathers and scatters of the policy-gradient agents.
@inline(__always)
func copyFloats(_ source: [Float], from sourceOffset: Int, to destination: inout [Float], at destinationOffset: Int, count: Int) {
    precondition(sourceOffset >= 0 && destinationOffset >= 0 && sourceOffset + count <= source.count
                 && destinationOffset + count <= destination.count, "copyFloats: out of range")
    if count == 0 { return }
    source.withUnsafeBufferPointer { s in
        destination.withUnsafeMutableBufferPointer { d in
            (d.baseAddress! + destinationOffset).update(from: s.baseAddress! + sourceOffset, count: count)
        }
    }
}

/// The same for flags (action masks).
@inline(__always)
func copyFlags(_ source: [Bool], from sourceOffset: Int, to destination: inout [Bool], at destinationOffset: Int, count: Int) {
    precondition(sourceOffset >= 0 && destinationOffset >= 0 && sourceOffset + count <= source.count
                 && destinationOffset + count <= destination.count, "copyFlags: out of range")
    if count == 0 { return }
    source.withUnsafeBufferPointer { s in
        destination.withUnsafeMutableBufferPointer { d in
            (d.baseAddress! + destinationOffset).update(from: s.baseAddress! + sourceOffset, count: count)
        }
    }
}
