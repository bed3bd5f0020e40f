from tasker_core import TaskerClient

client = TaskerClient()

result = client.create_task(
    "order_processing",
    context={
        "order_id": "ORD-12345",
        "customer_email": "customer@example.com",
        "items": [
            {"sku": "WIDGET-A", "price": 29.99, "quantity": 2},
            {"sku": "GADGET-B", "price": 49.99, "quantity": 1},
        ],
    },
    initiator="api:checkout",
    reason="New order received",
)

print(f"Task created: {result.task_uuid}")
