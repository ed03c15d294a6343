namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>Undo and redo 撤销/重做 of the designer: whole-model snapshots, so every kind of edit undoes the same way.</summary>
public sealed class FlowHistory
{
    private const int Depth = 100;
    private readonly LinkedList<string> _undo = new();
    private readonly Stack<string> _redo = new();

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Call before changing <paramref name="model"/>: the state to go back to.</summary>
    public void Record(FlowModel model)
    {
        _undo.AddLast(model.Snapshot());
        if (_undo.Count > Depth)
        {
            _undo.RemoveFirst();
        }

        _redo.Clear();
    }

    /// <summary>The model before the last change, or <paramref name="current"/> when there is none.</summary>
    public FlowModel Undo(FlowModel current)
    {
        if (_undo.Last is not { } last)
        {
            return current;
        }

        _undo.RemoveLast();
        _redo.Push(current.Snapshot());
        return FlowModel.Restore(last.Value);
    }

    public FlowModel Redo(FlowModel current)
    {
        if (!_redo.TryPop(out var next))
        {
            return current;
        }

        _undo.AddLast(current.Snapshot());
        return FlowModel.Restore(next);
    }
}
