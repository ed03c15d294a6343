using System.Data.Common;
using System.Linq.Expressions;
using Expr = System.Linq.Expressions.Expression;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ApprovalSystem.Web.Infrastructure.Persistence;

/// <summary>
/// One column of a table as EF Core maps it: the property it holds (possibly inside complex types),
/// the provider's type mapping (with its value converter), how to read it from a data reader and how
/// to get its value off the object.
/// </summary>
internal sealed class ColumnMap
{
    public required string Name { get; init; }

    public required IProperty Property { get; init; }

    public required RelationalTypeMapping Mapping { get; init; }

    /// <summary>The provider value at an ordinal, or null for DBNull (EF's own reader method and customisation).</summary>
    public required Func<DbDataReader, int, object?> Read { get; init; }

    /// <summary>The model value from the root object; null for a shadow property (the caller supplies it).</summary>
    public Func<object, object?>? Get { get; init; }

    /// <summary>The CLR type of the provider value (after the converter), without nullability.</summary>
    public required Type ProviderType { get; init; }

    public object? ToProvider(object? value) =>
        value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;

    public object? FromProvider(object? value) =>
        value is null ? null : Mapping.Converter is { } converter ? converter.ConvertFromProvider(value) : value;

    public static bool SameProviderValue(object? a, object? b) =>
        a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);
}

/// <summary>
/// A table mapped by EF Core, taken apart once so the case engine's hot path can read and write its
/// rows with plain commands: the columns in a fixed order (scalar properties, then the columns of
/// complex properties, recursively) and a builder that makes the object again from a row. Driven by
/// the model, so a property added to an entity is read and written without touching this code.
/// </summary>
internal sealed class TableMap
{
    private readonly Func<object?[], object> _materialize;

    private TableMap(string table, IReadOnlyList<ColumnMap> columns, TypeNode root)
    {
        Table = table;
        Columns = columns;
        var row = Expression.Parameter(typeof(object?[]), "row");
        _materialize = Expression.Lambda<Func<object?[], object>>(Expression.Convert(root.Expression(row, columns), typeof(object)), row).Compile();
    }

    /// <summary>The table's name, not delimited.</summary>
    public string Table { get; }

    public IReadOnlyList<ColumnMap> Columns { get; }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Table {Table} has no column {column}.");
    }

    /// <summary>The column of an entity's own (not complex) property, by the property's name.</summary>
    public ColumnMap Column(string propertyName) =>
        Columns.FirstOrDefault(c => c.Property.Name == propertyName && c.Property.DeclaringType is IEntityType)
        ?? throw new InvalidOperationException($"Table {Table} has no column for {propertyName}.");

    public static TableMap For(IEntityType entityType)
    {
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{entityType.DisplayName()} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var columns = new List<ColumnMap>();
        var root = Build(entityType, store, columns, parentGet: null);
        return new TableMap(table, columns, root);
    }

    /// <summary>Reads the current row of <paramref name="reader"/> (selected in <see cref="Columns"/> order) as provider values.</summary>
    public object?[] ReadRow(DbDataReader reader)
    {
        var row = new object?[Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = Columns[i].Read(reader, i);
        }

        return row;
    }

    /// <summary>The provider values of an object, in <see cref="Columns"/> order; shadow columns from <paramref name="shadow"/>.</summary>
    public object?[] ProviderValues(object entity, Func<ColumnMap, object?>? shadow = null)
    {
        var row = new object?[Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = Columns[i];
            row[i] = column.Get is { } get ? column.ToProvider(get(entity)) : shadow?.Invoke(column);
        }

        return row;
    }

    /// <summary>Builds the object from a row of provider values.</summary>
    public object Materialize(object?[] row) => _materialize(row);

    private static TypeNode Build(ITypeBase type, StoreObjectIdentifier store, List<ColumnMap> columns, Func<object, object?>? parentGet)
    {
        var node = new TypeNode(type.ClrType);
        foreach (var property in type.GetProperties())
        {
            var name = property.GetColumnName(store) ?? throw new InvalidOperationException($"{property.Name} has no column in {store.Name}.");
            var mapping = property.GetRelationalTypeMapping();
            Func<object, object?>? get = null;
            if (!property.IsShadowProperty())
            {
                var member = property.PropertyInfo ?? (MemberInfo?)property.FieldInfo
                    ?? throw new InvalidOperationException($"{property.Name} has no CLR member.");
                var own = Getter(member);
                get = parentGet is null ? own : o => parentGet(o) is { } parent ? own(parent) : null;
                node.Scalars.Add((member, columns.Count));
            }

            var providerType = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
            columns.Add(new ColumnMap
            {
                Name = name,
                Property = property,
                Mapping = mapping,
                Read = Reader(mapping),
                Get = get,
                ProviderType = Nullable.GetUnderlyingType(providerType) ?? providerType,
            });
        }

        foreach (var complex in type.GetComplexProperties())
        {
            var member = complex.PropertyInfo ?? (MemberInfo?)complex.FieldInfo ?? throw new InvalidOperationException($"{complex.Name} has no CLR member.");
            var own = Getter(member);
            Func<object, object?> get = parentGet is null ? own : o => parentGet(o) is { } parent ? own(parent) : null;
            node.Complex.Add((member, Build(complex.ComplexType, store, columns, get)));
        }

        node.BindConstructor();
        return node;
    }

    private static Func<object, object?> Getter(MemberInfo member) => member switch
    {
        PropertyInfo p => p.GetValue,
        FieldInfo f => f.GetValue,
        _ => throw new InvalidOperationException($"Unsupported member {member}."),
    };

    /// <summary>The same reader call EF Core's shaper uses for the mapping (with the provider's customisation), boxed; null for DBNull.</summary>
    private static Func<DbDataReader, int, object?> Reader(RelationalTypeMapping mapping)
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var ordinal = Expression.Parameter(typeof(int), "ordinal");
        var method = mapping.GetDataReaderMethod();
        Expression instance = method.DeclaringType is { } declaring && declaring != typeof(DbDataReader) ? Expression.Convert(reader, declaring) : reader;
        Expression value = Expression.Call(instance, method, ordinal);
        value = mapping.CustomizeDataReaderExpression(value);
        var providerType = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;
        if (value.Type != providerType)
        {
            value = Expression.Convert(value, providerType);
        }

        var body = Expression.Condition(
            Expression.Call(reader, typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!, ordinal),
            Expression.Constant(null, typeof(object)),
            Expression.Convert(value, typeof(object)));
        return Expression.Lambda<Func<DbDataReader, int, object?>>(body, reader, ordinal).Compile();
    }

    /// <summary>A CLR type of the graph (the entity or a complex type) and how to build it from column values.</summary>
    private sealed class TypeNode(Type clrType)
    {
        public List<(MemberInfo Member, int Column)> Scalars { get; } = [];

        public List<(MemberInfo Member, TypeNode Node)> Complex { get; } = [];

        private ConstructorInfo _constructor = null!;

        /// <summary>For each constructor parameter: a scalar column (≥ 0) or a complex child (negative: ~index).</summary>
        private int[] _arguments = [];

        private readonly HashSet<MemberInfo> _bound = [];

        public void BindConstructor()
        {
            const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            if (clrType.GetConstructor(Any, Type.EmptyTypes) is { } parameterless)
            {
                _constructor = parameterless;
                return;
            }

            // A positional record: every parameter names a mapped member (as EF Core binds it).
            foreach (var candidate in clrType.GetConstructors(Any).OrderByDescending(c => c.GetParameters().Length))
            {
                var arguments = new List<int>();
                foreach (var parameter in candidate.GetParameters())
                {
                    var scalar = Scalars.FindIndex(s => string.Equals(s.Member.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
                    var complex = Complex.FindIndex(s => string.Equals(s.Member.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
                    if (scalar >= 0)
                    {
                        arguments.Add(Scalars[scalar].Column);
                    }
                    else if (complex >= 0)
                    {
                        arguments.Add(~complex);
                    }
                    else
                    {
                        break;
                    }
                }

                if (arguments.Count == candidate.GetParameters().Length)
                {
                    _constructor = candidate;
                    _arguments = [.. arguments];
                    foreach (var p in candidate.GetParameters())
                    {
                        _bound.UnionWith(Scalars.Where(s => string.Equals(s.Member.Name, p.Name, StringComparison.OrdinalIgnoreCase)).Select(s => s.Member));
                        _bound.UnionWith(Complex.Where(s => string.Equals(s.Member.Name, p.Name, StringComparison.OrdinalIgnoreCase)).Select(s => s.Member));
                    }

                    return;
                }
            }

            throw new InvalidOperationException($"{clrType.Name} has neither a parameterless constructor nor one whose parameters name its mapped members.");
        }

        /// <summary>
        /// The expression that builds the object from a row of provider values: the constructor, then
        /// every other member, each value through its column's converter (compiled once per table).
        /// </summary>
        public BlockExpression Expression(ParameterExpression row, IReadOnlyList<ColumnMap> columns)
        {
            var parameters = _constructor.GetParameters();
            var arguments = new Expression[_arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                var a = _arguments[i];
                arguments[i] = a >= 0 ? Value(row, columns, a, parameters[i].ParameterType)
                    : Convert(Complex[~a].Node.Expression(row, columns), parameters[i].ParameterType);
            }

            var instance = Expr.Variable(clrType, "instance");
            var body = new List<Expression> { Expr.Assign(instance, Expr.New(_constructor, arguments)) };
            foreach (var (member, column) in Scalars.Where(s => !_bound.Contains(s.Member)))
            {
                body.Add(Assign(instance, member, Value(row, columns, column, UnderlyingType(member))));
            }

            foreach (var (member, node) in Complex.Where(s => !_bound.Contains(s.Member)))
            {
                body.Add(Assign(instance, member, Convert(node.Expression(row, columns), UnderlyingType(member))));
            }

            body.Add(instance);
            return Expr.Block([instance], body);
        }

        /// <summary>A column's model value: default when the cell is null, else the provider value through the column's converter.</summary>
        private static ConditionalExpression Value(ParameterExpression row, IReadOnlyList<ColumnMap> columns, int index, Type target)
        {
            var column = columns[index];
            var cell = Expr.ArrayIndex(row, Expr.Constant(index));
            Expression value;
            if (column.Mapping.Converter is { } converter)
            {
                var fromProvider = converter.ConvertFromProviderExpression;
                value = Expr.Invoke(fromProvider, Expr.Convert(cell, fromProvider.Parameters[0].Type));
            }
            else
            {
                value = Expr.Convert(cell, column.ProviderType);
            }

            return Expr.Condition(Expr.Equal(cell, Expr.Constant(null)), Expr.Default(target), Convert(value, target));
        }

        private static Expression Convert(Expression value, Type target) => value.Type == target ? value : Expr.Convert(value, target);

        private static BinaryExpression Assign(ParameterExpression instance, MemberInfo member, Expression value) => member switch
        {
            PropertyInfo p when p.SetMethod is not null => Expr.Assign(Expr.Property(instance, p), value),
            PropertyInfo p => Expr.Assign(Expr.Field(instance, BackingField(p)), value),
            FieldInfo f => Expr.Assign(Expr.Field(instance, f), value),
            _ => throw new InvalidOperationException($"Unsupported member {member}."),
        };

        private static Type UnderlyingType(MemberInfo member) => member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;

        private static FieldInfo BackingField(PropertyInfo p) =>
            p.DeclaringType!.GetField($"<{p.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{p.DeclaringType.Name}.{p.Name} cannot be set.");
    }
}
