package extlink

// CheckID returns nil for a good user or tenant ID, or an error wrapping
// [ErrInvalid] that says what is wrong with it (R26): an ID is non-empty,
// valid UTF-8, without control characters, at most 1,024 bytes. IDs are
// compared by their bytes and never normalized. [NewDirectory],
// [Directory.With] and [RestoreGroup] refuse bad IDs with the same words;
// CheckID lets a store or a file format check an ID where it reads it.
func CheckID(id string) error {
	if f := idFault(id); f != "" {
		return errInvalidf("extlink: %s", f)
	}
	return nil
}
