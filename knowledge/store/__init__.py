"""The cache: parsed articles and their vectors kept on disk, each entry proved before use."""
