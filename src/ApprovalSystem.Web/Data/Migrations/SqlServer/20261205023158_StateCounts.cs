using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StateCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RowCounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Scope = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Bucket = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Delta = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RowCounts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RowCounts_Scope_Bucket_Delta",
                table: "RowCounts",
                columns: new[] { "Scope", "Bucket", "Delta" });

            // The counts of what is already there (decision 0021); from now on the writes keep them.
            migrationBuilder.Sql("INSERT INTO [RowCounts] ([Scope], [Bucket], [Delta]) SELECT 'case.state', [State], COUNT(*) FROM [Cases] GROUP BY [State];");
            migrationBuilder.Sql("INSERT INTO [RowCounts] ([Scope], [Bucket], [Delta]) SELECT 'delivery.status', [Status], COUNT(*) FROM [ExchangeOutbox] GROUP BY [Status];");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RowCounts");
        }
    }
}
