/// Whether the tests were built with optimisation (`swift test -c release`). The heaviest training
/// and quality-bar tests run only then, since an unoptimised build trains orders of magnitude
/// slower; CI runs the suite in both modes (`scripts/test.sh`), so they always run there.
#if DEBUG
let isReleaseBuild = false
#else
let isReleaseBuild = true
#endif
