"""Making the publication: render pipeline, chapter execution, assembly, deck, atomic publishing."""
