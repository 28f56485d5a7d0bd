public import RetmplTemplate

/// consul-template's complete function table, as `Template.Execute` builds it.
public enum ConsulFunctions {
    /// Every function: registry data, helpers, math, sprig, retmpl's proxy
    /// token functions (`ProxyTokens.swift`) and the
    /// registered-but-unsupported ones.
    public static let table: FunctionTable = {
        var functions: [TemplateFunction] = []
        functions += DataFunctions.all
        functions += StringFunctions.all
        functions += CollectionFunctions.all
        functions += EncodingFunctions.all
        functions += JSONOutputFunctions.all
        functions += ParseFunctions.all
        functions += MathFunctions.all
        functions += TimeFunctions.all
        functions += RegexFunctions.all
        functions += TitleFunctions.all
        functions += YAMLFunctions.all
        functions += SprigFunctions.all
        functions += ProxyTokenFunctions.all
        functions += UnsupportedFunctions.all
        functions.append(scratch)
        return FunctionTable(functions)
    }()

    /// `scratch`: the execution's `*template.Scratch`.
    static let scratch = TemplateFunction("scratch", []) { _, context in
        .object(try RenderState.of(context).scratch)
    }
}
