//! The first page of a big folder does not read the folder.
