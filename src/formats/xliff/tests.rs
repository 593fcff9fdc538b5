//! Unit tests of the XLIFF reader and writer.
