"""The modules behind ``inspector_kit.cli`` (private: the command line is the interface)."""
