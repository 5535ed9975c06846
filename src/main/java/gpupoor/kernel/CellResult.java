package gpupoor.kernel;

/**
 * What a cell evaluated to: the value of its last snippet when that snippet is an expression
 * (the value itself may be null), or nothing.
 *
 * @param hasValue whether the cell ends with an expression
 * @param value    the expression's value
 */
record CellResult(boolean hasValue, Object value) {
    /** A cell that ends with a declaration or statement. */
    static final CellResult NONE = new CellResult(false, null);
}
